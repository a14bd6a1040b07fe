using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// The container's json-file log as the output pumps feed it (see <see cref="JsonLogFormatter"/> for the format).
/// While output is light it is formatted and written on the loop thread as it is read: a quiet shim keeps a single
/// thread. The first read of at least <see cref="HeavyChunk"/> bytes shows a container writing faster than the loop
/// drains it; from then on a <see cref="LogWriterThread"/> formats and writes, and the pumps read straight into its
/// queue (<see cref="NextReadBuffer"/>), so forwarding to attachers never waits for the disk. After
/// <see cref="IdleMillis"/> without output the thread and its buffers go again (about 4.5 MB), until the next burst.
/// Owns the sink (a <see cref="LogFile"/>): <see cref="Dispose"/> writes out everything queued and closes it.
/// </summary>
internal sealed class JsonLogEncoder(EventLoop loop, ILogSink sink) : IDisposable
{
    public const int HeavyChunk = 64 * 1024;
    public const int IdleMillis = 3000;

    private readonly JsonLogFormatter _formatter = new(sink);
    private LogWriterThread? _writer;
    private LoopTimer? _idleCheck;
    private long _lastChunkMillis;
    private bool _disposed;

    /// <summary>
    /// The log driver's mode=non-blocking: when the writer's queue is full the pumps read on and the output is not
    /// logged (attachers still get it), instead of the container waiting for the disk.
    /// </summary>
    public bool NonBlocking { get; init; }

    /// <summary>Whether formatting and writing happen on the log writer thread.</summary>
    public bool Threaded => _writer is not null;

    /// <summary>
    /// Where the next chunk of output is to be read: the shared read buffer while the log is written inline, the next
    /// free slot of the writer's queue once threaded; empty when that queue is full: call
    /// <see cref="WhenSpaceAvailable"/> and read nothing until then.
    /// </summary>
    public Span<byte> NextReadBuffer() => _writer is null ? ReadBuffer.Shared : _writer.TryReserve();

    public void WhenSpaceAvailable(Action callback) => _writer!.WhenSpaceAvailable(callback);

    /// <summary>Logs a chunk of output read at <paramref name="unixNanos"/> (read into <see cref="NextReadBuffer"/>).</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, long unixNanos)
    {
        if (_disposed) return;
        if (_writer is not null)
        {
            _writer.Commit(stream, chunk, unixNanos);
            _lastChunkMillis = Clock.MonotonicMillis();
            return;
        }
        _formatter.Write(stream, chunk, unixNanos);
        _formatter.Flush();
        if (chunk.Length < HeavyChunk) return;
        _writer = new LogWriterThread(loop, _formatter);
        _lastChunkMillis = Clock.MonotonicMillis();
        _idleCheck = loop.Schedule(IdleMillis, CheckIdle);
    }

    /// <summary>End of <paramref name="stream"/>: logs its unfinished line, without adding a newline.</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        if (_disposed) return;
        if (_writer is not null)
        {
            _writer.Complete(stream, unixNanos);
            return;
        }
        _formatter.Complete(stream, unixNanos);
        _formatter.Flush();
    }

    /// <summary>Whether the burst is over; if so the writer thread stops (after writing out what it holds).</summary>
    private void CheckIdle()
    {
        _idleCheck = null;
        if (_writer is null) return;
        long quiet = Clock.MonotonicMillis() - _lastChunkMillis;
        if (quiet < IdleMillis || !_writer.Idle)
        {
            _idleCheck = loop.Schedule((int)Math.Max(IdleMillis - quiet, 100), CheckIdle);
            return;
        }
        _writer.Dispose();
        _writer = null;
        _formatter.ReleaseBuffer();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _idleCheck?.Cancel();
        _writer?.Dispose();
        _formatter.Flush();
        (sink as IDisposable)?.Dispose();
    }
}
