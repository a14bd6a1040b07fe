using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads the json-file log the shim writes (one <c>{"log":…,"stream":…,"time":…}</c> object per line), with Docker's
/// tail/since/until filters, and follows it while the container runs.
/// </summary>
public static class JsonFileLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(50);

    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogQuery query, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            if (!query.Follow) yield break;
            while (!File.Exists(path) && isRunning()) await Task.Delay(FollowPoll, cancellationToken);
            if (!File.Exists(path)) yield break;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (query.Tail is { } tail and >= 0) file.Position = FindTailStart(file, tail);
        var pending = new ArrayBufferWriter<byte>(1 << 16);
        byte[] buffer = new byte[1 << 16];
        while (true)
        {
            int read = await file.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                if (!query.Follow) yield break;
                // Read once more after the container stopped, so that its last lines are never lost.
                bool running = isRunning();
                if (!running)
                {
                    read = await file.ReadAsync(buffer, cancellationToken);
                    if (read == 0) yield break;
                }
                else
                {
                    await Task.Delay(FollowPoll, cancellationToken);
                    continue;
                }
            }
            pending.Write(buffer.AsSpan(0, read));
            int consumed = 0;
            var data = pending.WrittenMemory;
            while (true)
            {
                int newline = data.Span[consumed..].IndexOf((byte)'\n');
                if (newline < 0) break;
                var line = data.Slice(consumed, newline);
                consumed += newline + 1;
                if (!TryParse(line.Span, out var entry)) continue;
                if (entry.IsStderr ? !query.Stderr : !query.Stdout) continue;
                if (query.Since is { } since && entry.Time < since) continue;
                if (query.Until is { } until && entry.Time > until) yield break;
                yield return entry;
            }
            var rest = data[consumed..].ToArray();
            pending.Clear();
            pending.Write(rest);
        }
    }

    /// <summary>The offset of the start of the last <paramref name="lines"/> lines, scanning backwards from the end.</summary>
    private static long FindTailStart(FileStream file, int lines)
    {
        if (lines == 0) return file.Length;
        long position = file.Length;
        int seen = 0;
        byte[] block = new byte[1 << 16];
        bool first = true;
        while (position > 0)
        {
            int size = (int)Math.Min(block.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(block, 0, size);
            for (int i = size - 1; i >= 0; i--)
            {
                if (block[i] != (byte)'\n') continue;
                if (first && position + i == file.Length - 1) { first = false; continue; }
                first = false;
                if (++seen == lines) return position + i + 1;
            }
            first = false;
        }
        return 0;
    }

    private static bool TryParse(ReadOnlySpan<byte> line, out LogEntry entry)
    {
        entry = default;
        var reader = new Utf8JsonReader(line);
        byte[]? text = null;
        bool isStderr = false;
        string? time = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    text = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan.ToArray();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    isStderr = reader.ValueTextEquals("stderr"u8);
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (text is null || time is null) return false;
        if (!Berth.Api.ApiTime.TryParse(time, out var parsed)) return false;
        entry = new LogEntry(isStderr, parsed, time, text);
        return true;
    }
}
