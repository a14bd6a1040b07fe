using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;
using Berth.Shim.Protocol;

namespace Berth.Shim.Runtime;

/// <summary>
/// One exec'd process: its stdio and attachers (a <see cref="ContainerProcess"/> without a log), its exit status,
/// and the WAIT requests for it. Like the init, it counts as finished once it has been reaped and its output has
/// ended, or <see cref="ExitGraceMillis"/> passed without output (a background child that keeps the pipes open).
/// </summary>
internal sealed class ExecSession(EventLoop loop, string id, ProcessStdio stdio, ChildReaper reaper)
{
    private const int ExitGraceMillis = 1500;

    private readonly List<ControlConnection> _waiters = [];
    private LoopTimer? _grace;

    public string Id { get; } = id;
    public ProcessStdio Stdio { get; } = stdio;
    public ExitRecord? Exit { get; private set; }
    public bool Started { get; private set; }
    public int AttacherCount => Started ? Running.Hub.Count : 0;

    /// <summary>Raised once the exec has finished (exit recorded, attachers closing).</summary>
    public event Action<ExecSession>? Finished;

    private ContainerProcess? _process;

    public ContainerProcess CreateProcess()
    {
        // Exec stdin is StdinOnce in Docker: the client's end of input closes the process's stdin.
        _process = new ContainerProcess(loop, reaper, Stdio, log: null, stdinOnce: true, OnChange);
        return _process;
    }

    public ContainerProcess Running => _process ?? throw new InvalidOperationException("exec has no process");

    /// <summary>The process exists (runc exec returned): serve its stdio and watch for its exit.</summary>
    public void OnStarted(int pid, int height, int width)
    {
        Stdio.OnCreated(height, width);
        Running.OnCreated(pid);
        Started = true;
    }

    /// <summary>Answers now when the exec has finished, else when it does.</summary>
    public void Wait(ControlConnection connection)
    {
        if (Exit is not null)
        {
            connection.ReplyAndClose(ExitedReply());
            return;
        }
        connection.Defer();
        _waiters.Add(connection);
    }

    /// <summary>runc exec failed: the process never ran.</summary>
    public void Fail(int exitCode)
    {
        Stdio.Dispose();
        Complete(new ExitRecord(exitCode, Clock.RealtimeNanos(), false));
    }

    private void OnChange()
    {
        var process = Running;
        if (!process.Reaped || Exit is not null) return;
        if (!process.OutputEnded)
        {
            ScheduleGrace(ExitGraceMillis);
            return;
        }
        _grace?.Cancel();
        _grace = null;
        process.Close();
        Complete(new ExitRecord(process.ExitCode, process.ExitedAtUnixNanos, false));
    }

    private void ScheduleGrace(int delayMillis)
    {
        if (_grace is not null) return;
        _grace = loop.Schedule(delayMillis, () =>
        {
            _grace = null;
            var process = Running;
            long idle = Clock.MonotonicMillis() - process.LastOutputMillis;
            if (process.Hub.Blocked) ScheduleGrace(ExitGraceMillis);
            else if (idle < ExitGraceMillis) ScheduleGrace((int)(ExitGraceMillis - idle));
            else process.EndOutput();
        });
    }

    private void Complete(ExitRecord exit)
    {
        Exit = exit;
        foreach (var waiter in _waiters) waiter.ReplyAndClose(ExitedReply());
        _waiters.Clear();
        Finished?.Invoke(this);
    }

    private byte[] ExitedReply() => ShimReply.Exited(Exit!.ExitCode, Exit.FinishedAtUnixNanos, false);
}
