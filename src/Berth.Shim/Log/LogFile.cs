using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// The container's json-file log, opened O_APPEND so it keeps growing whatever happens to the daemon.
/// With a size limit, Docker's rotation: when the file has reached <c>maxSize</c>, "x.log" becomes "x.log.1" (older
/// files shift up to maxFiles-1) and a new file starts; with maxFiles 1 the file is truncated instead.
/// Write errors (disk full) drop the batch rather than stopping the container's output.
/// </summary>
internal sealed class LogFile : ILogSink, IDisposable
{
    private const int Mode0640 = 0x1A0;
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private int _fd;
    private long _size;
    private bool _failing;

    public LogFile(string path, long maxSize, int maxFiles)
    {
        _path = path;
        _maxSize = maxSize;
        _maxFiles = Math.Max(1, maxFiles);
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
                for (int i = _maxFiles - 1; i > 1; i--)
                    if (Fd.Exists($"{_path}.{i - 1}")) Fd.Rename($"{_path}.{i - 1}", $"{_path}.{i}");
                Fd.Rename(_path, $"{_path}.1");
                Fd.Close(_fd);
                _fd = Fd.Open(_path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_TRUNC, Mode0640);
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

    public void Dispose()
    {
        Fd.Close(_fd);
        _fd = -1;
    }
}
