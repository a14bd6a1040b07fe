using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// The container's stdin as the attachers feed it. Writes are non-blocking; what the pipe cannot take yet is kept
/// (one chunk at most, because attachers stop reading while <see cref="Blocked"/>) and flushed when it drains.
/// </summary>
internal sealed class StdinSink(EventLoop loop, int fd) : IPollHandler
{
    private int _fd = fd;
    private byte[]? _pending;
    private int _pendingOffset, _pendingLength;
    private bool _closeWhenDrained;

    public bool Blocked => _pendingLength > 0;
    public bool Closed => _fd < 0;

    /// <summary>Raised when a blocked sink has drained (or closed), so attachers can read again.</summary>
    public event Action? Unblocked;

    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        if (Closed || _closeWhenDrained) return;
        int written = 0;
        if (!Blocked)
        {
            written = TryWrite(data);
            if (written < 0) { Close(); return; }
            if (written == data.Length) return;
        }
        var rest = data[written..];
        if (_pending is null || _pending.Length - _pendingOffset - _pendingLength < rest.Length)
        {
            var bigger = new byte[Math.Max(_pendingLength + rest.Length, 64 * 1024)];
            _pending.AsSpan(_pendingOffset, _pendingLength).CopyTo(bigger);
            _pending = bigger;
            _pendingOffset = 0;
        }
        bool wasBlocked = Blocked;
        rest.CopyTo(_pending.AsSpan(_pendingOffset + _pendingLength));
        _pendingLength += rest.Length;
        if (!wasBlocked) loop.Add(_fd, PollEvents.Out, this);
    }

    /// <summary>Closes stdin (the process reads EOF) once what was already written has been delivered.</summary>
    public void CloseWhenDrained()
    {
        if (Blocked) _closeWhenDrained = true;
        else Close();
    }

    public void OnPoll(uint events)
    {
        int n = TryWrite(_pending.AsSpan(_pendingOffset, _pendingLength));
        if (n < 0)
        {
            Close();
            return;
        }
        _pendingOffset += n;
        _pendingLength -= n;
        if (Blocked) return;
        _pendingOffset = 0;
        loop.Remove(_fd);
        if (_closeWhenDrained) Close();
        Unblocked?.Invoke();
    }

    public void Close()
    {
        if (Closed) return;
        if (Blocked) loop.Remove(_fd);
        _pendingLength = 0;
        Fd.Close(_fd);
        _fd = -1;
        Unblocked?.Invoke();
    }

    /// <summary>Bytes written (0 when the pipe is full), or -1 when the reader is gone.</summary>
    private unsafe int TryWrite(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = Libc.write(_fd, p, (nuint)data.Length);
                if (n >= 0) return (int)n;
                int errno = Libc.Errno;
                if (errno == Libc.EINTR) continue;
                return errno == Libc.EAGAIN ? 0 : -1;
            }
        }
    }
}
