using Berth.Shim.Attach;
using Berth.Shim.Log;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// Moves one output stream of a container process to its log and its attachers. It reads only while every attacher
/// has taken the previous chunk (see <see cref="AttachHub"/>), so a slow attacher slows the container down for at most
/// the hub's stall timeout instead of making the shim buffer without bound.
/// </summary>
internal sealed class OutputPump(EventLoop loop, int fd, OutputStream stream, JsonLogEncoder? log, AttachHub hub, Action onEnd) : IPollHandler
{
    private bool _registered;

    public bool Ended { get; private set; }
    public long LastReadMillis { get; private set; } = Clock.MonotonicMillis();

    public void Resume()
    {
        if (Ended || _registered) return;
        // Removing (not just muting) a paused fd matters: epoll reports hang-up even with an empty event mask.
        loop.Add(fd, PollEvents.In, this);
        _registered = true;
    }

    public void Pause()
    {
        if (!_registered) return;
        loop.Remove(fd);
        _registered = false;
    }

    public void OnPoll(uint events)
    {
        var buffer = ReadBuffer.Shared;
        int n = Fd.Read(fd, buffer);
        if (n > 0)
        {
            LastReadMillis = Clock.MonotonicMillis();
            var data = buffer[..n];
            long now = Clock.RealtimeNanos();
            // Attachers first: the client works on this chunk while the shim writes the log, instead of after.
            hub.Broadcast(stream, data);
            log?.Write(stream, data, now);
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
        Pause();
        log?.Complete(stream, Clock.RealtimeNanos());
        onEnd();
    }
}
