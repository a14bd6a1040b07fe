using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Logs;

/// <summary>
/// One json-file line taken apart. Lines in the exact shape the shim writes
/// (<c>{"log":"…","stream":"stdout","time":"…"}</c>) are sliced in place, the log text still JSON-escaped; anything
/// else (other field order, extra fields such as "attrs") goes through <see cref="Utf8JsonReader"/>.
/// </summary>
internal readonly ref struct JsonLogLine
{
    private static ReadOnlySpan<byte> Head => "{\"log\":\""u8;
    private static ReadOnlySpan<byte> StdoutMiddle => "\",\"stream\":\"stdout\",\"time\":\""u8;
    private static ReadOnlySpan<byte> StderrMiddle => "\",\"stream\":\"stderr\",\"time\":\""u8;
    private static ReadOnlySpan<byte> End => "\"}"u8;
    private static readonly SearchValues<byte> QuoteOrBackslash = SearchValues.Create("\"\\"u8);

    public bool IsStderr { get; init; }

    /// <summary>The "log" value: JSON-escaped when <see cref="Escaped"/>, else the text itself.</summary>
    public ReadOnlySpan<byte> Log { get; init; }

    public bool Escaped { get; init; }

    /// <summary>The "time" value as written.</summary>
    public ReadOnlySpan<byte> Time { get; init; }

    public long UnixNanos { get; init; }

    /// <summary>How many bytes the text takes once unescaped, at most (escapes only ever shrink).</summary>
    public int MaxTextLength => Log.Length;

    /// <summary>Writes the log text to <paramref name="destination"/> (room: <see cref="MaxTextLength"/>); returns its length.</summary>
    public int CopyText(Span<byte> destination)
    {
        if (!Escaped)
        {
            Log.CopyTo(destination);
            return Log.Length;
        }
        return JsonUnescaper.Unescape(Log, destination);
    }

    public byte[] TextToArray()
    {
        var text = new byte[MaxTextLength];
        return text.AsSpan(0, CopyText(text)).ToArray();
    }

    /// <summary>Takes a line apart; false for lines that are not log entries (or whose time or escapes are invalid).</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out JsonLogLine parsed)
    {
        if (line.StartsWith(Head))
        {
            var rest = line[Head.Length..];
            int end = StringEnd(rest, out bool escaped);
            if (end >= 0)
            {
                var after = rest[end..];
                bool stderr = after.StartsWith(StderrMiddle);
                if (stderr || after.StartsWith(StdoutMiddle))
                {
                    var time = after[StdoutMiddle.Length..];
                    if (time.EndsWith(End))
                    {
                        time = time[..^End.Length];
                        if (time.IndexOfAny(QuoteOrBackslash) < 0)
                        {
                            parsed = new JsonLogLine
                            {
                                IsStderr = stderr, Log = rest[..end], Escaped = escaped, Time = time,
                                UnixNanos = ParseTime(time, out bool valid),
                            };
                            return valid;
                        }
                    }
                }
            }
        }
        return TryParseAnyShape(line, out parsed);
    }

    /// <summary>The index of the closing quote of a JSON string body, or -1; tells whether there were escapes.</summary>
    private static int StringEnd(ReadOnlySpan<byte> body, out bool escaped)
    {
        escaped = false;
        int i = 0;
        while (i < body.Length)
        {
            int hit = body[i..].IndexOfAny(QuoteOrBackslash);
            if (hit < 0) return -1;
            i += hit;
            if (body[i] == '"') return i;
            escaped = true;
            i += 2; // the escaped character; \uXXXX's digits hold neither a quote nor a backslash
        }
        return -1;
    }

    private static bool TryParseAnyShape(ReadOnlySpan<byte> line, out JsonLogLine parsed)
    {
        parsed = default;
        var reader = new Utf8JsonReader(line);
        byte[]? text = null, time = null;
        bool isStderr = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return false;
                    text = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan.ToArray();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    isStderr = reader.ValueTextEquals("stderr"u8);
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) return false;
                    time = Encoding.UTF8.GetBytes(reader.GetString()!);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
        if (text is null || time is null) return false;
        parsed = new JsonLogLine { IsStderr = isStderr, Log = text, Escaped = false, Time = time, UnixNanos = ParseTime(time, out bool valid) };
        return valid;
    }

    private static long ParseTime(ReadOnlySpan<byte> time, out bool valid)
    {
        valid = LogTime.TryParse(time, out long nanos);
        return nanos;
    }
}
