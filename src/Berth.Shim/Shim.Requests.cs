using Berth.Shim.Native;
using Berth.Shim.Protocol;

namespace Berth.Shim;

internal sealed partial class Shim
{
    /// <summary>Once the container has run for a moment, the code that created and started it is not needed any more.</summary>
    private const int ReleasePagesDelayMillis = 1000;

    private readonly List<ControlConnection> _waiters = [];
    private bool _starting, _shutdownRequested;

    private void Dispatch(ControlConnection connection, ShimRequest? request, string error)
    {
        if (request is null)
        {
            connection.ReplyAndClose(ShimReply.Error(error));
            return;
        }
        switch (request.Command)
        {
            case ShimCommand.Start: HandleStart(connection); break;
            case ShimCommand.Attach: HandleAttach(connection, request); break;
            case ShimCommand.Wait when request.ExecId is { } execId: HandleExecWait(connection, execId); break;
            case ShimCommand.Wait: HandleWait(connection); break;
            case ShimCommand.Exec: HandleExec(connection, request); break;
            case ShimCommand.Resize when request.ExecId is { } execId: connection.ReplyAndClose(ResizeExec(execId, request.Height, request.Width)); break;
            case ShimCommand.Kill: HandleKill(connection, request.Signal); break;
            case ShimCommand.Resize: connection.ReplyAndClose(Resize(request.Height, request.Width)); break;
            case ShimCommand.State: connection.ReplyAndClose(StateReply()); break;
            case ShimCommand.Shutdown: connection.ReplyAndClose(Shutdown()); break;
            default: connection.ReplyAndClose(ShimReply.Error("request not supported")); break;
        }
    }

    private void HandleStart(ControlConnection connection)
    {
        if (_status != Status.Created || _init.Reaped)
        {
            connection.ReplyAndClose(ShimReply.Error($"{Container} has already been started"));
            return;
        }
        if (_starting)
        {
            connection.ReplyAndClose(ShimReply.Error($"{Container} is already being started"));
            return;
        }
        _starting = true;
        connection.Defer();
        _runc.Start(_loop, _reaper, () => _init.Reaped, error =>
        {
            _starting = false;
            if (error is null && _status == Status.Created)
            {
                _status = Status.Running;
                _loop.Schedule(ReleasePagesDelayMillis, StartupPages.Release);
            }
            connection.ReplyAndClose(error is null ? ShimReply.Ok : ShimReply.Error(error));
            TryFinishExit(); // exit handling waits for a runc start in flight
        });
    }

    private void HandleAttach(ControlConnection connection, ShimRequest request)
    {
        int output = connection.TakePassedFd();
        int fd = connection.ReplyAndDetach(ShimReply.Ok);
        _init.Hub.Add(fd, output, request.Stdin, request.Stdout, request.Stderr);
        if (request.Stdin && !connection.Leftover.IsEmpty) _init.Hub.OnStdinData(connection.Leftover.Span);
    }

    private void HandleWait(ControlConnection connection)
    {
        if (_status == Status.Exited)
        {
            connection.ReplyAndClose(ExitedReply());
            return;
        }
        connection.Defer();
        _waiters.Add(connection);
    }

    /// <summary>
    /// A signal right after the start waits (polling, a millisecond at a time) until the init has exec'd the user's
    /// program, so that the program gets it (see <see cref="Runtime.ContainerProcess.HasExecuted"/>); a stop sent then
    /// would otherwise wait out its timeout. SIGKILL needs no wait, and a created container's init is not about to exec.
    /// </summary>
    private void HandleKill(ControlConnection connection, int signal)
    {
        if (signal == Libc.SIGKILL || _status != Status.Running || _init.Reaped || _init.HasExecuted())
        {
            KillAndReply(connection, signal);
            return;
        }
        connection.Defer();
        long deadline = Clock.MonotonicMillis() + KillExecWaitMillis;
        void Retry()
        {
            if (_init.Reaped || _init.HasExecuted() || Clock.MonotonicMillis() >= deadline) KillAndReply(connection, signal);
            else _loop.Schedule(1, Retry);
        }
        _loop.Schedule(1, Retry);
    }

    /// <summary>A bound for an init that does not exec (it would have to hang between its exec fifo and its execve).</summary>
    private const int KillExecWaitMillis = 2000;

    /// <summary>
    /// runc's container is signalled directly (what runc kill does); any other runtime's through its own kill, since the
    /// process the shim knows may be a sandbox rather than the container's init.
    /// </summary>
    private void KillAndReply(ControlConnection connection, int signal)
    {
        if (_runc.Shortcuts || _status == Status.Exited || _init.Reaped)
        {
            connection.ReplyAndClose(Kill(signal));
            return;
        }
        connection.Defer();
        _runc.Kill(_reaper, signal, error => connection.ReplyAndClose(error is null ? ShimReply.Ok : ShimReply.Error($"{Container}: {error}")));
    }

    private byte[] Kill(int signal)
    {
        if (_status == Status.Exited) return ShimReply.Error($"{Container} is not running");
        string? error = _init.Kill(signal);
        return error is null ? ShimReply.Ok : ShimReply.Error($"{Container}: {error}");
    }

    private byte[] Resize(int height, int width)
    {
        if (!_config.Tty) return ShimReply.Error($"{Container} has no TTY");
        if (_status == Status.Exited || _init.Reaped) return ShimReply.Error($"{Container} is not running");
        try
        {
            _init.Stdio.Resize(height, width);
            return ShimReply.Ok;
        }
        catch (Exception e) when (e is Native.UnixError or InvalidOperationException)
        {
            return ShimReply.Error($"{Container}: {e.Message}");
        }
    }

    private byte[] StateReply() => _status switch
    {
        Status.Exited => ExitedReply(),
        Status.Running => ShimReply.Running(_init.Pid),
        _ => ShimReply.Created(_init.Pid),
    };

    private byte[] Shutdown()
    {
        if (_status != Status.Exited) return ShimReply.Error($"{Container} has not exited");
        _shutdownRequested = true;
        return ShimReply.Ok;
    }
}
