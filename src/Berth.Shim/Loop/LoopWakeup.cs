using Berth.Shim.Native;

namespace Berth.Shim.Loop;

/// <summary>
/// How a worker thread (the log writer, the log forwarder) tells the loop thread that it made room: the loop thread
/// leaves callbacks here while it waits, the worker signals through a pipe, and the loop thread runs them when it reads
/// that byte. The pipe is registered with the loop only while callbacks wait.
/// </summary>
internal sealed unsafe class LoopWakeup : IPollHandler, IDisposable
{
    private readonly EventLoop _loop;
    private readonly List<Action> _waiters = [];
    private readonly int _read, _write;
    private bool _registered;

    public LoopWakeup(EventLoop loop)
    {
        _loop = loop;
        (_read, _write) = Fd.Pipe();
        Fd.SetNonBlocking(_read);
        Fd.SetNonBlocking(_write);
    }

    /// <summary>Whether callbacks wait (loop thread only).</summary>
    public bool HasWaiters => _waiters.Count > 0;

    /// <summary>Runs <paramref name="callback"/> on the loop thread after the next <see cref="Signal"/> (loop thread only).</summary>
    public void Add(Action callback)
    {
        _waiters.Add(callback);
        if (_registered) return;
        _loop.Add(_read, PollEvents.In, this);
        _registered = true;
    }

    /// <summary>Wakes the loop thread (any thread).</summary>
    public void Signal()
    {
        byte one = 1;
        Libc.write(_write, &one, 1);
    }

    public void OnPoll(uint events)
    {
        Span<byte> drain = stackalloc byte[64];
        while (Fd.Read(_read, drain) > 0) { }
        _loop.Remove(_read);
        _registered = false;
        var waiters = _waiters.ToArray();
        _waiters.Clear();
        foreach (var callback in waiters) callback();
    }

    /// <summary>Once the worker thread is gone (it must not signal a closed pipe).</summary>
    public void Dispose()
    {
        if (_registered) _loop.Remove(_read);
        _registered = false;
        Fd.Close(_read);
        Fd.Close(_write);
    }
}
