using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Oci.Native;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads the json-file log the shim writes (one <c>{"log":…,"stream":…,"time":…}</c> object per line), with Docker's
/// tail/since/until filters, and follows it while the container runs. A log rotated by max-size/max-file is read as
/// Docker reads it: the rotated files (<c>x.log.N</c> … <c>x.log.1</c>, oldest first) and then <c>x.log</c>; a follower
/// that sees the file renamed away finishes it and goes on with the new one.
/// </summary>
public static class JsonFileLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(50);
    private const int MaxRotatedFiles = 1000;

    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogQuery query, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            if (!query.Follow) yield break;
            while (!File.Exists(path) && isRunning()) await Task.Delay(FollowPoll, cancellationToken);
            if (!File.Exists(path)) yield break;
        }
        var files = FilesOldestFirst(path);
        var (first, offset) = query.Tail is { } tail and >= 0 ? FindTailStart(files, tail) : (0, 0L);
        var parser = new LineParser(query);
        for (int i = first; i < files.Count - 1; i++)
        {
            await using var rotated = Open(files[i]);
            if (rotated is null) continue; // rotated away meanwhile
            if (i == first) rotated.Position = offset;
            await foreach (var entry in parser.ReadToEndAsync(rotated, cancellationToken)) yield return entry;
            if (parser.PastUntil) yield break;
        }

        var file = Open(path);
        if (file is null) yield break;
        try
        {
            if (first == files.Count - 1) file.Position = offset;
            while (true)
            {
                await foreach (var entry in parser.ReadToEndAsync(file, cancellationToken)) yield return entry;
                if (parser.PastUntil || !query.Follow) yield break;
                // At the end: wait for more, unless the log was rotated (go on with the new file) or the container
                // stopped (one more read, so that its last lines are never lost).
                bool running = isRunning();
                if (PosixFiles.TryLstat(path) is { } now && now.Inode != PosixFiles.Fstat(file.SafeFileHandle, path).Inode)
                {
                    await foreach (var entry in parser.ReadToEndAsync(file, cancellationToken)) yield return entry;
                    var next = Open(path);
                    if (next is null) continue;
                    await file.DisposeAsync();
                    file = next;
                    continue;
                }
                if (file.Length < file.Position) file.Position = 0; // max-file 1: truncated in place, start over
                if (!running)
                {
                    await foreach (var entry in parser.ReadToEndAsync(file, cancellationToken)) yield return entry;
                    yield break;
                }
                await Task.Delay(FollowPoll, cancellationToken);
            }
        }
        finally
        {
            await file.DisposeAsync();
        }
    }

    /// <summary>The rotated files that exist and then <paramref name="path"/> itself, oldest first.</summary>
    private static List<string> FilesOldestFirst(string path)
    {
        var files = new List<string>();
        for (int i = 1; i <= MaxRotatedFiles && File.Exists($"{path}.{i}"); i++) files.Insert(0, $"{path}.{i}");
        files.Add(path);
        return files;
    }

    private static FileStream? Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Where the last <paramref name="lines"/> lines start: the index of the file and the offset in it.</summary>
    private static (int File, long Offset) FindTailStart(List<string> files, int lines)
    {
        for (int i = files.Count - 1; i >= 0; i--)
        {
            using var file = Open(files[i]);
            if (file is null) continue;
            var (offset, found) = FindTailStart(file, lines);
            if (found >= lines || i == 0) return (i, offset);
            lines -= found;
        }
        return (0, 0);
    }

    /// <summary>
    /// The offset of the start of the last <paramref name="lines"/> lines, scanning backwards from the end, and how
    /// many lines that is (fewer when the file has fewer: the offset is then 0).
    /// </summary>
    private static (long Offset, int Found) FindTailStart(FileStream file, int lines)
    {
        if (lines == 0) return (file.Length, 0);
        long length = file.Length, position = length;
        int seen = 0;
        byte[] block = new byte[1 << 16];
        while (position > 0)
        {
            int size = (int)Math.Min(block.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(block, 0, size);
            for (int i = size - 1; i >= 0; i--)
            {
                if (block[i] != (byte)'\n' || position + i == length - 1) continue; // the last line's own newline
                if (++seen == lines) return (position + i + 1, seen);
            }
        }
        return (0, length > 0 ? seen + 1 : 0);
    }

    /// <summary>Splits what is read into lines and entries, keeping an unfinished line for the next read.</summary>
    private sealed class LineParser(LogQuery query)
    {
        private readonly ArrayBufferWriter<byte> _pending = new(1 << 16);
        private readonly byte[] _buffer = new byte[1 << 16];

        /// <summary>An entry later than the query's until was met: nothing more is wanted.</summary>
        public bool PastUntil { get; private set; }

        public async IAsyncEnumerable<LogEntry> ReadToEndAsync(FileStream file, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (!PastUntil)
            {
                int read = await file.ReadAsync(_buffer, cancellationToken);
                if (read == 0) yield break;
                _pending.Write(_buffer.AsSpan(0, read));
                int consumed = 0;
                var data = _pending.WrittenMemory;
                while (true)
                {
                    int newline = data.Span[consumed..].IndexOf((byte)'\n');
                    if (newline < 0) break;
                    var line = data.Slice(consumed, newline);
                    consumed += newline + 1;
                    if (!TryParse(line.Span, out var entry)) continue;
                    if (entry.IsStderr ? !query.Stderr : !query.Stdout) continue;
                    if (query.Since is { } since && entry.Time < since) continue;
                    if (query.Until is { } until && entry.Time > until)
                    {
                        PastUntil = true;
                        yield break;
                    }
                    yield return entry;
                }
                var rest = data[consumed..].ToArray();
                _pending.Clear();
                _pending.Write(rest);
            }
        }
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
