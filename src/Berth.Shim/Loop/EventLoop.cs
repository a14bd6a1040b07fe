using System.Runtime.InteropServices;
using Berth.Shim.Native;

namespace Berth.Shim.Loop;

/// <summary>
/// The shim's main thread: one epoll set, level-triggered, plus a handful of one-shot timers (only a chatty container's
/// log writer runs beside it).
/// No thread pool and no async machinery, which keeps a sleeping shim at a few hundred KiB of private memory.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 32;
    // struct epoll_event is packed (12 bytes) on x86-64 and naturally aligned (16 bytes) elsewhere.
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private readonly int _epfd;
    private readonly List<IPollHandler?> _handlers = [];
    private readonly List<uint> _generations = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<int, int> _slotByFd = [];
    private readonly List<LoopTimer> _timers = [];
    private readonly byte* _events;
    private bool _stopped;

    public EventLoop()
    {
        _epfd = UnixError.Check(Libc.epoll_create1(Libc.O_CLOEXEC), "epoll_create1");
        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * EventSize));
    }

    public void Add(int fd, uint events, IPollHandler handler)
    {
        int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
        _handlers[slot] = handler;
        _generations[slot]++;
        _slotByFd[fd] = slot;
        Control(1, fd, events, slot, "add");
    }

    public void Modify(int fd, uint events) => Control(3, fd, events, _slotByFd[fd], "modify");

    /// <summary>Unregisters <paramref name="fd"/>; call before closing it. Events already fetched for it are dropped.</summary>
    public void Remove(int fd)
    {
        if (!_slotByFd.Remove(fd, out int slot)) return;
        Libc.epoll_ctl(_epfd, 2, fd, null);
        _handlers[slot] = null;
        _freeSlots.Push(slot);
    }

    public LoopTimer Schedule(int delayMillis, Action callback)
    {
        var timer = new LoopTimer(Clock.MonotonicMillis() + delayMillis, callback);
        _timers.Add(timer);
        return timer;
    }

    public void Stop() => _stopped = true;

    /// <summary>Runs until <see cref="Stop"/>; <paramref name="afterEvents"/> runs after every batch (state checks).</summary>
    public void Run(Action afterEvents)
    {
        while (!_stopped)
        {
            int n = Libc.epoll_wait(_epfd, _events, MaxEvents, NextTimeout());
            if (n < 0 && Libc.Errno != Libc.EINTR) throw UnixError.Last("epoll_wait");
            for (int i = 0; i < n; i++)
            {
                byte* ev = _events + i * EventSize;
                uint bits = *(uint*)ev;
                ulong data = *(ulong*)(ev + (EventSize == 12 ? 4 : 8));
                int slot = (int)(uint)data;
                // A handler removed earlier in this batch leaves a null, or a slot reused by a newer registration whose
                // generation differs: the stale event must not reach it (a hang-up would drop a new connection).
                if (slot < _handlers.Count && _generations[slot] == (uint)(data >> 32)) _handlers[slot]?.OnPoll(bits);
            }
            RunDueTimers();
            afterEvents();
        }
    }

    private int AddSlot()
    {
        _handlers.Add(null);
        _generations.Add(0);
        return _handlers.Count - 1;
    }

    private void Control(int op, int fd, uint events, int slot, string what)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + (EventSize == 12 ? 4 : 8)) = (uint)slot | ((ulong)_generations[slot] << 32);
        UnixError.Check(Libc.epoll_ctl(_epfd, op, fd, ev), $"epoll {what} fd {fd}");
    }

    private int NextTimeout()
    {
        if (_timers.Count == 0) return -1;
        long now = Clock.MonotonicMillis(), next = long.MaxValue;
        foreach (var t in _timers)
            if (!t.Cancelled) next = Math.Min(next, t.DueMillis);
        if (next == long.MaxValue) return -1;
        return (int)Math.Clamp(next - now, 0, int.MaxValue);
    }

    private void RunDueTimers()
    {
        if (_timers.Count == 0) return;
        long now = Clock.MonotonicMillis();
        for (int i = 0; i < _timers.Count; i++)
        {
            var t = _timers[i];
            if (t.Cancelled) { _timers.RemoveAt(i--); continue; }
            if (t.DueMillis > now) continue;
            _timers.RemoveAt(i--);
            t.Callback();
        }
    }

    public void Dispose()
    {
        Fd.Close(_epfd);
        NativeMemory.Free(_events);
    }
}
