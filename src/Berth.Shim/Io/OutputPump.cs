using Berth.Shim.Attach;
using Berth.Shim.Log;
using Berth.Shim.Log.Forward;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// Moves one output stream of a container process to its log and its attachers. It reads only while every attacher
/// has taken the previous chunk (see <see cref="AttachHub"/>), so a slow attacher slows the container down for at most
/// the hub's stall timeout instead of making the shim buffer without bound; and only while the log has room for
/// another chunk (see <see cref="JsonLogEncoder"/>), so a slow disk slows it down too rather than losing lines; unless
/// the log is non-blocking, when what the log has no room for is left out of it. The same holds for the
/// <see cref="LogForwarder"/> of a container whose logging driver sends its lines to a server: a read takes no more
/// than its queue has room for.
/// </summary>
internal sealed class OutputPump(EventLoop loop, int fd, OutputStream stream, JsonLogEncoder? log, AttachHub hub, Action onEnd,
    LogForwarder? forward = null) : IPollHandler
{
    private bool _registered, _paused, _waitingForLog;
    private long _lastReadMillis = Clock.MonotonicMillis();

    public bool Ended { get; private set; }

    /// <summary>When output last arrived; "now" while the pump waits for the log, as the container is not idle then.</summary>
    public long LastReadMillis => _waitingForLog ? Clock.MonotonicMillis() : _lastReadMillis;

    /// <summary>Reads again once attachers have taken their output (see <see cref="Pause"/>).</summary>
    public void Resume()
    {
        _paused = false;
        UpdateRegistration();
    }

    /// <summary>Stops reading while attachers hold unsent output.</summary>
    public void Pause()
    {
        _paused = true;
        UpdateRegistration();
    }

    public void OnPoll(uint events)
    {
        var buffer = log is null ? ReadBuffer.Shared : log.NextReadBuffer();
        bool dropFromLog = false;
        if (buffer.IsEmpty && log!.NonBlocking)
        {
            // The shared buffer is free while the log is threaded (the only time its queue can be full).
            buffer = ReadBuffer.Shared;
            dropFromLog = true;
        }
        if (buffer.IsEmpty)
        {
            _waitingForLog = true;
            UpdateRegistration();
            log!.WhenSpaceAvailable(OnLogSpace);
            return;
        }
        bool dropFromForward = false;
        if (forward is not null)
        {
            int room = forward.Room;
            if (room == 0 && !forward.NonBlocking)
            {
                _waitingForLog = true;
                UpdateRegistration();
                forward.WhenSpaceAvailable(OnLogSpace);
                return;
            }
            if (room == 0) dropFromForward = true;
            else if (room < buffer.Length) buffer = buffer[..room];
        }
        int n = Fd.Read(fd, buffer);
        if (n > 0)
        {
            _lastReadMillis = Clock.MonotonicMillis();
            var data = buffer[..n];
            long now = Clock.RealtimeNanos();
            // Attachers first: the client works on this chunk while the shim writes the log, instead of after.
            hub.Broadcast(stream, data);
            if (!dropFromLog) log?.Write(stream, data, now);
            if (!dropFromForward) forward?.Write(stream, data, now);
            return;
        }
        if (n == -Libc.EAGAIN) return;
        End(); // 0: end of file; EIO: a pty whose last slave closed; anything else: unreadable for good
    }

    /// <summary>Stops reading (end of output, or the grace period after exit ran out) and logs the unfinished line.</summary>
    public void End()
    {
        if (Ended) return;
        Ended = true;
        UpdateRegistration();
        long now = Clock.RealtimeNanos();
        log?.Complete(stream, now);
        forward?.Complete(stream, now);
        onEnd();
    }

    private void OnLogSpace()
    {
        _waitingForLog = false;
        UpdateRegistration();
    }

    private void UpdateRegistration()
    {
        bool wanted = !Ended && !_paused && !_waitingForLog;
        if (wanted == _registered) return;
        // Removing (not just muting) a paused fd matters: epoll reports hang-up even with an empty event mask.
        if (wanted) loop.Add(fd, PollEvents.In, this);
        else loop.Remove(fd);
        _registered = wanted;
    }
}
