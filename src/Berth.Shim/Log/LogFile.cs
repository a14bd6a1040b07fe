using System.IO.Compression;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// The container's json-file log, opened O_APPEND so it keeps growing whatever happens to the daemon.
/// With a size limit, Docker's rotation: when the file has reached <c>maxSize</c>, "x.log" becomes "x.log.1" (older
/// files shift up to maxFiles-1) and a new file starts; with maxFiles 1 the file is truncated instead. With
/// <c>compress</c>, "x.log.1" is then gzipped into "x.log.1.gz" on a thread of its own, as Docker compresses rotated files
/// in the background; the plain file goes only once the compressed one is complete, so a reader always finds one of them.
/// Write errors (disk full) drop the batch rather than stopping the container's output.
/// </summary>
internal sealed class LogFile : ILogSink, IDisposable
{
    private const int Mode0640 = 0x1A0;
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly bool _compress;
    private Thread? _compressing;
    private int _fd;
    private long _size;
    private bool _failing;

    public LogFile(string path, long maxSize, int maxFiles, bool compress = false)
    {
        _path = path;
        _maxSize = maxSize;
        _maxFiles = Math.Max(1, maxFiles);
        _compress = compress && _maxFiles > 1;
        _fd = Fd.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, Mode0640);
        _size = Math.Max(0, Libc.lseek(_fd, 0, 2));
    }

    public void Write(ReadOnlySpan<byte> entries)
    {
        while (!entries.IsEmpty)
        {
            if (_maxSize > 0 && _size >= _maxSize) Rotate();
            // As Docker checks before every entry: the file may pass the limit by the one entry that crosses it.
            int length = entries.Length;
            if (_maxSize > 0 && _size + length > _maxSize)
            {
                int crossing = (int)(_maxSize - _size) - 1;
                int newline = entries[crossing..].IndexOf((byte)'\n');
                if (newline >= 0) length = crossing + newline + 1;
            }
            WriteBatch(entries[..length]);
            entries = entries[length..];
        }
    }

    private void WriteBatch(ReadOnlySpan<byte> entries)
    {
        try
        {
            Fd.WriteAll(_fd, entries);
            _size += entries.Length;
            _failing = false;
        }
        catch (UnixError e)
        {
            if (!_failing) ShimDiagnostics.Warn($"log {_path}: {e.Message} (dropping log lines until writes succeed)");
            _failing = true;
        }
    }

    private void Rotate()
    {
        try
        {
            if (_maxFiles > 1)
            {
                // The previous rotated file is compressed before the files move again.
                _compressing?.Join();
                _compressing = null;
                for (int i = _maxFiles - 1; i > 1; i--)
                {
                    Shift($"{_path}.{i - 1}", $"{_path}.{i}");
                    Shift($"{_path}.{i - 1}.gz", $"{_path}.{i}.gz");
                }
                Fd.Rename(_path, $"{_path}.1");
                Fd.Unlink($"{_path}.1.gz");
                Fd.Close(_fd);
                _fd = Fd.Open(_path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_TRUNC, Mode0640);
                if (_compress) _compressing = StartCompressing($"{_path}.1");
            }
            else
            {
                Fd.Close(_fd);
                _fd = Fd.Open(_path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_TRUNC, Mode0640);
            }
            _size = 0;
        }
        catch (UnixError e)
        {
            ShimDiagnostics.Warn($"rotate log {_path}: {e.Message}");
        }
    }

    /// <summary>Moves a rotated file one place up; the other form of the same file there (plain or .gz) is outdated.</summary>
    private static void Shift(string from, string to)
    {
        if (!Fd.Exists(from)) return;
        Fd.Rename(from, to);
        string other = to.EndsWith(".gz", StringComparison.Ordinal) ? to[..^3] : to + ".gz";
        Fd.Unlink(other);
    }

    private static Thread StartCompressing(string path)
    {
        var thread = new Thread(() => Compress(path), maxStackSize: 256 * 1024) { IsBackground = true, Name = "log-compress" };
        thread.Start();
        return thread;
    }

    /// <summary>path → path.gz, through a temporary name so that a half-written .gz is never taken for the file.</summary>
    private static void Compress(string path)
    {
        string temporary = path + ".gz.tmp";
        try
        {
            using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024))
            using (var target = new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 64 * 1024,
                       UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
                   }))
            using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
                source.CopyTo(gzip);
            Fd.Rename(temporary, path + ".gz");
            Fd.Unlink(path);
        }
        catch (Exception e) when (e is IOException or UnixError or UnauthorizedAccessException)
        {
            ShimDiagnostics.Warn($"compress log {path}: {e.Message} (kept uncompressed)");
            Fd.Unlink(temporary);
        }
    }

    public void Dispose()
    {
        _compressing?.Join();
        Fd.Close(_fd);
        _fd = -1;
    }
}
