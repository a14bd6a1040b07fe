using Berth.Shim.Loop;
using Berth.Shim.Native;
using Berth.Shim.Protocol;
using Berth.Shim.Runtime;

namespace Berth.Shim;

/// <summary>
/// Exit handling: once the init is reaped, wait for its output to end (or <see cref="ExitGraceMillis"/> without
/// output, for a daemonised grandchild that keeps the pipes open), then log the last partial lines, read the OOM
/// counter, write exit.json, close the attachers, run <c>runc delete</c>, and answer WAIT. Then the shim lingers
/// until SHUTDOWN, or exits by itself after <see cref="LingerMillis"/> with nobody connected.
/// </summary>
internal sealed partial class Shim
{
    private const int ExitGraceMillis = 1500;
    private const int LingerMillis = 2000;

    private bool _exitHandlingStarted;
    private ExitRecord? _exit;
    private LoopTimer? _grace, _linger;

    private void OnInitChanged() => TryFinishExit();

    private void TryFinishExit()
    {
        if (!_init.Reaped || _exitHandlingStarted) return;
        if (!_init.OutputEnded)
        {
            ScheduleGrace(ExitGraceMillis);
            return;
        }
        if (_starting) return;
        _exitHandlingStarted = true;
        _grace?.Cancel();
        FinishExit();
    }

    private void ScheduleGrace(int delayMillis)
    {
        if (_grace is not null) return;
        _grace = _loop.Schedule(delayMillis, () =>
        {
            _grace = null;
            long idle = Clock.MonotonicMillis() - _init.LastOutputMillis;
            // While an attacher holds the output back, silence is not the container's: keep waiting (the hub drops stuck attachers).
            if (_init.Hub.Blocked) ScheduleGrace(ExitGraceMillis);
            else if (idle < ExitGraceMillis) ScheduleGrace((int)(ExitGraceMillis - idle));
            else _init.EndOutput();
        });
    }

    private void FinishExit()
    {
        _log?.Dispose(); // writes out what the log writer still holds
        _log = null;
        _forward?.Dispose(); // sends what is queued (for a little while at most)
        _forward = null;
        bool oomKilled = OomDetector.WasOomKilled(_config.CgroupPath);
        _exit = new ExitRecord(_init.ExitCode, _init.ExitedAtUnixNanos, oomKilled);
        try
        {
            _exit.WriteAtomically(_files.Exit);
        }
        catch (Exception e) when (e is IOException or UnixError or UnauthorizedAccessException)
        {
            ShimDiagnostics.Warn($"write {_files.Exit}: {e.Message}");
        }
        _init.Close();
        _runc.Delete(_reaper, error =>
        {
            if (error is not null) ShimDiagnostics.Warn($"runc delete: {error}");
            _status = Status.Exited;
            foreach (var waiter in _waiters) waiter.ReplyAndClose(ExitedReply());
            _waiters.Clear();
        });
    }

    private byte[] ExitedReply() => ShimReply.Exited(_exit!.ExitCode, _exit.FinishedAtUnixNanos, _exit.OomKilled);

    /// <summary>After every batch of events: once exited, stop on SHUTDOWN or after the linger time with nobody connected.</summary>
    private void AfterEvents()
    {
        if (_status != Status.Exited) return;
        int attachers = _init.Hub.Count + ExecAttachers;
        bool idle = _controlConnections == 0 && attachers == 0;
        if (_shutdownRequested && attachers == 0)
        {
            _loop.Stop();
            return;
        }
        if (idle && _linger is null)
        {
            _linger = _loop.Schedule(LingerMillis, () =>
            {
                _linger = null;
                if (_controlConnections == 0 && _init.Hub.Count + ExecAttachers == 0) _loop.Stop();
            });
        }
        else if (!idle && _linger is not null)
        {
            _linger.Cancel();
            _linger = null;
        }
    }
}
