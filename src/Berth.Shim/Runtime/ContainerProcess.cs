using Berth.Shim.Attach;
using Berth.Shim.Io;
using Berth.Shim.Log;
using Berth.Shim.Log.Forward;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// One process of the container, with its stdio, output pumps, attachers and exit status. The init process is one,
/// with a log; an exec'd process will be another, without. <paramref name="onChange"/> runs when the process is reaped
/// and when its output ends, the two events exit handling waits for.
/// </summary>
internal sealed class ContainerProcess(EventLoop loop, ChildReaper reaper, ProcessStdio stdio, JsonLogEncoder? log, bool stdinOnce, Action onChange,
    LogForwarder? forward = null)
{
    private static ReadOnlySpan<byte> RuncInitName => "runc:[2:INIT]"u8;
    private OutputPump[] _pumps = [];
    private bool _executed;

    public ProcessStdio Stdio { get; } = stdio;
    public AttachHub Hub { get; private set; } = null!;
    public int Pid { get; private set; }
    public bool Reaped { get; private set; }
    public int ExitCode { get; private set; }
    public long ExitedAtUnixNanos { get; private set; }
    public bool OutputEnded
    {
        get
        {
            foreach (var pump in _pumps)
                if (!pump.Ended) return false;
            return true;
        }
    }

    public long LastOutputMillis
    {
        get
        {
            long last = 0;
            foreach (var pump in _pumps) last = Math.Max(last, pump.LastReadMillis);
            return last;
        }
    }

    /// <summary>The runtime has created the process (it has not run the user's program yet): start serving its stdio.</summary>
    public void OnCreated(int pid)
    {
        Pid = pid;
        int stdinFd = Stdio.TakeStdin();
        var stdin = stdinFd >= 0 ? new StdinSink(loop, stdinFd) : null;
        Hub = new AttachHub(loop, Stdio.IsTty, stdin, stdinOnce);
        Hub.Start();
        Hub.BlockedChanged += blocked =>
        {
            foreach (var pump in _pumps)
                if (blocked) pump.Pause();
                else pump.Resume();
        };
        int stdout = Stdio.OutputFd(OutputStream.Stdout), stderr = Stdio.OutputFd(OutputStream.Stderr);
        _pumps = stderr < 0
            ? [new OutputPump(loop, stdout, OutputStream.Stdout, log, Hub, onChange, forward)]
            : [new OutputPump(loop, stdout, OutputStream.Stdout, log, Hub, onChange, forward),
                new OutputPump(loop, stderr, OutputStream.Stderr, log, Hub, onChange, forward)];
        foreach (var pump in _pumps) pump.Resume();
        reaper.Watch(pid, OnReaped);
    }

    /// <summary>
    /// Whether the process has become the user's program. From the start (runc init's byte through its exec fifo) to
    /// its execve, the pid is still runc's Go init, which runc names "runc:[2:INIT]": a catchable signal sent then goes
    /// to the Go runtime's handler, which ignores some signals and can be ended mid-way by the exec (the signal is then
    /// lost: a SIGTERM that stops nothing). Also true once the process is gone or under another runtime's init.
    /// </summary>
    public bool HasExecuted()
    {
        if (_executed) return true;
        try
        {
            _executed = !Fd.ReadFile($"/proc/{Pid}/comm", 64).AsSpan().StartsWith(RuncInitName);
        }
        catch (UnixError)
        {
            _executed = true; // gone: nothing left to wait for
        }
        return _executed;
    }

    /// <summary>Signals the process unless it has been reaped (its pid may belong to someone else by then).</summary>
    public string? Kill(int signal)
    {
        if (Reaped) return "container is not running";
        return Libc.kill(Pid, signal) == 0 ? null : UnixError.Last($"kill {Pid}").Message;
    }

    /// <summary>Gives up on output that has not ended (a daemonised grandchild holding the pipes) and logs unfinished lines.</summary>
    public void EndOutput()
    {
        foreach (var pump in _pumps) pump.End();
    }

    /// <summary>After exit handling: closes stdin and the attachers (once they have flushed) and every descriptor.</summary>
    public void Close()
    {
        EndOutput();
        Hub.CompleteOutput();
        Stdio.Dispose();
    }

    private void OnReaped(int status)
    {
        Reaped = true;
        ExitCode = ChildReaper.ExitCode(status);
        ExitedAtUnixNanos = Clock.RealtimeNanos();
        onChange();
    }
}
