using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using Berth.Oci.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads the json-file log the shim writes (one <c>{"log":…,"stream":…,"time":…}</c> object per line), with Docker's
/// tail/since/until filters, and follows it while the container runs. A log rotated by max-size/max-file is read as
/// Docker reads it: the rotated files (<c>x.log.N</c> … <c>x.log.1</c>, oldest first) and then <c>x.log</c>; a follower
/// that sees the file renamed away finishes it and goes on with the new one.
/// </summary>
/// <remarks>
/// The file is read in large blocks and every line is taken apart in place (<see cref="JsonLogLine"/>); the logs
/// endpoint renders lines straight into response frames (<see cref="WriteFramesAsync"/>), so a line costs no
/// allocation on the way from the file to the client.
/// </remarks>
public static class JsonFileLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(50);
    private const int MaxRotatedFiles = 1000;
    private const int BlockSize = 128 * 1024;
    private const int ResponseChunkSize = 128 * 1024;

    private delegate void EntryHandler(in JsonLogLine entry);

    /// <summary>
    /// Writes the entries the query selects to <paramref name="output"/> as the body of Docker's logs response: in
    /// chunks of about <see cref="ResponseChunkSize"/>, and whatever there is each time a follower reaches the end.
    /// </summary>
    public static async Task WriteFramesAsync(string path, LogQuery query, LogOutputFormat format, Stream output, Func<bool> isRunning, CancellationToken cancellationToken)
    {
        var frames = new LogFrameWriter(format, ResponseChunkSize + BlockSize);
        await foreach (bool caughtUp in ScanAsync(path, query, isRunning, frames.Append, cancellationToken))
        {
            if (frames.Length == 0 || (frames.Length < ResponseChunkSize && !caughtUp)) continue;
            await output.WriteAsync(frames.Take(), cancellationToken);
            if (caughtUp && query.Follow) await output.FlushAsync(cancellationToken);
        }
        if (frames.Length > 0) await output.WriteAsync(frames.Take(), cancellationToken);
    }

    /// <summary>The selected entries one by one (each with its own copy of the text).</summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogQuery query, Func<bool> isRunning, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        await foreach (bool _ in ScanAsync(path, query, isRunning, (in JsonLogLine line) => entries.Add(ToEntry(line)), cancellationToken))
        {
            foreach (var entry in entries) yield return entry;
            entries.Clear();
        }
    }

    private static LogEntry ToEntry(in JsonLogLine line)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(LogTime.ToUnixTicks(line.UnixNanos));
        return new LogEntry(line.IsStderr, time, Encoding.UTF8.GetString(line.Time), line.TextToArray());
    }

    /// <summary>
    /// Hands every selected entry to <paramref name="handler"/>, a block of the file at a time; yields after each block
    /// whether it reached the current end of the log (where a follower waits for more).
    /// </summary>
    private static async IAsyncEnumerable<bool> ScanAsync(string path, LogQuery query, Func<bool> isRunning, EntryHandler handler,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            if (!query.Follow) yield break;
            while (!File.Exists(path) && isRunning()) await Task.Delay(FollowPoll, cancellationToken);
            if (!File.Exists(path)) yield break;
        }
        var files = FilesOldestFirst(path);
        var (first, offset) = query.Tail is { } tail and >= 0 ? FindTailStart(files, tail) : (0, 0L);
        var scanner = new LineScanner(query, handler);
        for (int i = first; i < files.Count - 1; i++)
        {
            using var rotated = Open(files[i]);
            if (rotated is null) continue; // rotated away meanwhile
            var cursor = new FileCursor(rotated, i == first ? offset : 0);
            while (scanner.ReadBlock(cursor)) yield return false;
            if (scanner.PastUntil) yield break;
        }

        var file = Open(path);
        if (file is null) yield break;
        try
        {
            var cursor = new FileCursor(file, first == files.Count - 1 ? offset : 0);
            while (true)
            {
                while (scanner.ReadBlock(cursor)) yield return false;
                yield return true;
                if (scanner.PastUntil || !query.Follow) yield break;
                // At the end: wait for more, unless the log was rotated (go on with the new file) or the container
                // stopped (one more read, so that its last lines are never lost).
                bool running = isRunning();
                if (PosixFiles.TryLstat(path) is { } now && now.Inode != PosixFiles.Fstat(cursor.Handle, path).Inode)
                {
                    while (scanner.ReadBlock(cursor)) yield return false;
                    if (scanner.PastUntil) yield break;
                    var next = Open(path);
                    if (next is null) continue;
                    file.Dispose();
                    file = next;
                    cursor = new FileCursor(file, 0);
                    continue;
                }
                if (RandomAccess.GetLength(cursor.Handle) < cursor.Offset) cursor.Offset = 0; // max-file 1: truncated in place, start over
                if (!running)
                {
                    while (scanner.ReadBlock(cursor)) yield return false;
                    yield return true;
                    yield break;
                }
                await Task.Delay(FollowPoll, cancellationToken);
            }
        }
        finally
        {
            file.Dispose();
        }
    }

    /// <summary>
    /// The rotated files that exist (plain, or gzipped with compress=true) and then <paramref name="path"/> itself,
    /// oldest first.
    /// </summary>
    private static List<string> FilesOldestFirst(string path)
    {
        var files = new List<string>();
        for (int i = 1; i <= MaxRotatedFiles; i++)
        {
            // The shim gzips a rotated file in the background: the plain file stays until its .gz is complete.
            if (File.Exists($"{path}.{i}")) files.Insert(0, $"{path}.{i}");
            else if (File.Exists($"{path}.{i}.gz")) files.Insert(0, $"{path}.{i}.gz");
            else break;
        }
        files.Add(path);
        return files;
    }

    private static SafeFileHandle? Open(string path)
    {
        try
        {
            if (path.EndsWith(".gz", StringComparison.Ordinal)) return Decompressed(path);
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            // A rotated file compressed since it was listed is read from its .gz.
            return path.EndsWith(".gz", StringComparison.Ordinal) || !File.Exists(path + ".gz") ? null : Open(path + ".gz");
        }
    }

    /// <summary>
    /// A gzipped rotated file decompressed into an unnamed temporary file (as dockerd does), so that it is read, tailed
    /// and sought like the others.
    /// </summary>
    private static SafeFileHandle Decompressed(string path)
    {
        using var source = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        string temporary = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}");
        var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite);
        File.Delete(temporary); // the open handle keeps it until the reader is done
        try
        {
            byte[] block = new byte[BlockSize];
            long offset = 0;
            int read;
            while ((read = source.Read(block)) > 0)
            {
                RandomAccess.Write(handle, block.AsSpan(0, read), offset);
                offset += read;
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
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
    private static (long Offset, int Found) FindTailStart(SafeFileHandle file, int lines)
    {
        long length = RandomAccess.GetLength(file);
        if (lines == 0) return (length, 0);
        long position = length;
        int seen = 0;
        byte[] block = new byte[1 << 16];
        while (position > 0)
        {
            int size = (int)Math.Min(block.Length, position);
            position -= size;
            var span = block.AsSpan(0, size);
            int read = 0;
            while (read < size)
            {
                int n = RandomAccess.Read(file, span[read..], position + read);
                if (n == 0) throw new EndOfStreamException("the log file shrank while its tail was read");
                read += n;
            }
            // The last line's own newline does not start a line.
            if (position + size == length && span[^1] == '\n') span = span[..^1];
            int newline;
            while ((newline = span.LastIndexOf((byte)'\n')) >= 0)
            {
                if (++seen == lines) return (position + newline + 1, seen);
                span = span[..newline];
            }
        }
        return (0, length > 0 ? seen + 1 : 0);
    }

    /// <summary>An open log file and how far it has been read.</summary>
    private sealed class FileCursor(SafeFileHandle handle, long offset)
    {
        public SafeFileHandle Handle { get; } = handle;
        public long Offset { get; set; } = offset;
    }

    /// <summary>Splits what is read into lines and entries, keeping an unfinished line for the next read.</summary>
    private sealed class LineScanner(LogQuery query, EntryHandler handler)
    {
        private readonly long? _sinceTicks = query.Since is { } since ? LogTime.ToUnixTicks(since) : null;
        private readonly long? _untilTicks = query.Until is { } until ? LogTime.ToUnixTicks(until) : null;
        private byte[] _buffer = new byte[BlockSize];
        private int _pending;

        /// <summary>An entry later than the query's until was met: nothing more is wanted.</summary>
        public bool PastUntil { get; private set; }

        /// <summary>Reads one block and handles its whole lines; false at the end of the file (nothing read).</summary>
        public bool ReadBlock(FileCursor file)
        {
            if (PastUntil) return false;
            if (_pending == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2); // one line longer than the buffer
            int read = RandomAccess.Read(file.Handle, _buffer.AsSpan(_pending), file.Offset);
            if (read == 0) return false;
            file.Offset += read;
            var data = _buffer.AsSpan(0, _pending + read);
            int consumed = 0;
            while (true)
            {
                int newline = data[consumed..].IndexOf((byte)'\n');
                if (newline < 0) break;
                var line = data.Slice(consumed, newline);
                consumed += newline + 1;
                if (!JsonLogLine.TryParse(line, out var entry)) continue;
                if (entry.IsStderr ? !query.Stderr : !query.Stdout) continue;
                if (_sinceTicks is not null || _untilTicks is not null)
                {
                    long ticks = LogTime.ToUnixTicks(entry.UnixNanos);
                    if (_sinceTicks is { } s && ticks < s) continue;
                    if (_untilTicks is { } u && ticks > u)
                    {
                        PastUntil = true;
                        break;
                    }
                }
                handler(entry);
            }
            data[consumed..].CopyTo(_buffer);
            _pending = data.Length - consumed;
            return true;
        }
    }
}
