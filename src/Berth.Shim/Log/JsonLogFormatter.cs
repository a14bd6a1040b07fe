using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// Turns container output into Docker json-file log lines:
/// <c>{"log":"text\n","stream":"stdout","time":"2026-11-28T01:02:03.123456789Z"}</c>, one per line of output.
/// Like Docker, a line that grows to 16 KiB without a newline is written as a partial entry (its "log" has no trailing
/// newline) and the rest continues in the next entry; a partial cut never splits a UTF-8 character (it moves back up
/// to 3 bytes). An unfinished line at end of stream is written as is. All entries of one <see cref="Write"/> share its
/// timestamp (the time the chunk was read), in Go's RFC3339Nano form as Docker writes it.
/// Entries collect in a buffer that goes to the sink when full and on <see cref="Flush"/>, so the sink sees large
/// batches of whole entries (never a torn one).
/// </summary>
internal sealed class JsonLogFormatter(ILogSink sink)
{
    public const int MaxLineBytes = 16 * 1024;
    /// <summary>Entries collect up to this much before each write (a burst's read chunk of text makes several).</summary>
    public const int OutputCapacity = 512 * 1024;

    private static ReadOnlySpan<byte> Prefix => "{\"log\":\""u8;
    private static ReadOnlySpan<byte> StdoutMiddle => "\",\"stream\":\"stdout\",\"time\":\""u8;
    private static ReadOnlySpan<byte> StderrMiddle => "\",\"stream\":\"stderr\",\"time\":\""u8;
    private static ReadOnlySpan<byte> Suffix => "\"}\n"u8;
    private const int TailCapacity = 28 + Rfc3339.Length + 3;

    private LineBuffer _stdoutLine, _stderrLine;
    // Everything after the text, the same for every entry of one chunk: "","stream":"stdout","time":"…"}\n".
    private readonly byte[] _tail = new byte[TailCapacity];
    private int _tailLength;
    private NativeBuffer? _output;
    private int _outputLength;

    /// <summary>Formats a chunk of output read at <paramref name="unixNanos"/>; whole lines are kept for the sink.</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> data, long unixNanos)
    {
        SetTail(stream, unixNanos);
        ref LineBuffer pending = ref stream == OutputStream.Stderr ? ref _stderrLine : ref _stdoutLine;
        while (!data.IsEmpty)
        {
            int room = MaxLineBytes - pending.Length;
            int newline = data[..Math.Min(room, data.Length)].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = data[..(newline + 1)];
                data = data[(newline + 1)..];
                if (pending.Length == 0)
                {
                    Emit(line);
                }
                else
                {
                    pending.Append(line);
                    Emit(pending.Span);
                    pending.Clear();
                }
                continue;
            }
            if (data.Length < room)
            {
                pending.Append(data);
                break;
            }
            if (pending.Length == 0)
            {
                int cut = CharacterBoundary(data[..room]);
                Emit(data[..cut]);
                data = data[cut..];
            }
            else
            {
                pending.Append(data[..room]);
                data = data[room..];
                int cut = CharacterBoundary(pending.Span);
                Emit(pending.Span[..cut]);
                pending.RemovePrefix(cut);
            }
        }
    }

    /// <summary>End of <paramref name="stream"/>: formats its unfinished line, without adding a newline.</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        ref LineBuffer pending = ref stream == OutputStream.Stderr ? ref _stderrLine : ref _stdoutLine;
        if (pending.Length == 0) return;
        SetTail(stream, unixNanos);
        Emit(pending.Span);
        pending.Clear();
    }

    /// <summary>Hands every formatted entry to the sink.</summary>
    public void Flush()
    {
        if (_outputLength == 0) return;
        sink.Write(_output!.Span[.._outputLength]);
        _outputLength = 0;
    }

    /// <summary>Frees the output buffer (after a burst; the next entry allocates it again). Only when flushed.</summary>
    public void ReleaseBuffer()
    {
        if (_outputLength > 0) return;
        _output?.Dispose();
        _output = null;
    }

    private void SetTail(OutputStream stream, long unixNanos)
    {
        var tail = _tail.AsSpan();
        var middle = stream == OutputStream.Stderr ? StderrMiddle : StdoutMiddle;
        middle.CopyTo(tail);
        int n = middle.Length;
        n += Rfc3339.FormatTrimmed(unixNanos, tail[n..]);
        Suffix.CopyTo(tail[n..]);
        _tailLength = n + Suffix.Length;
    }

    private void Emit(ReadOnlySpan<byte> line)
    {
        int worstCase = Prefix.Length + JsonEscaper.MaxLength(line.Length) + _tailLength;
        _output ??= new NativeBuffer(Math.Max(OutputCapacity, worstCase));
        if (_outputLength + worstCase > _output.Length) Flush();

        var o = _output.Span[_outputLength..];
        Prefix.CopyTo(o);
        int n = Prefix.Length;
        n += JsonEscaper.Escape(line, o[n..]);
        _tail.AsSpan(0, _tailLength).CopyTo(o[n..]);
        _outputLength += n + _tailLength;
    }

    /// <summary>The largest length ≤ span.Length that does not end inside a UTF-8 sequence (the full length if none is open).</summary>
    internal static int CharacterBoundary(ReadOnlySpan<byte> span)
    {
        int i = span.Length - 1, continuation = 0;
        while (i >= 0 && continuation < 3 && (span[i] & 0xC0) == 0x80)
        {
            i--;
            continuation++;
        }
        if (i <= 0 || span[i] < 0xC0) return span.Length; // ASCII, stray continuation bytes, or nothing to keep
        int needed = span[i] >= 0xF0 ? 4 : span[i] >= 0xE0 ? 3 : 2;
        return continuation + 1 < needed ? i : span.Length;
    }
}
