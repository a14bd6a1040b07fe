using System.Text;
using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;
using Berth.Shim.Protocol;
using Berth.Shim.Runtime;

namespace Berth.Shim;

/// <summary>
/// EXEC: runs a further process in the running container from the OCI process the daemon wrote to
/// <c>exec-&lt;id&gt;.json</c>: natively (<see cref="NativeExecLauncher"/>: the shim forks and the child enters the
/// container as runc exec's init would) or, when the native path does not support the container or the process, with
/// <c>runc exec --detach</c>. The reply is <c>ok &lt;pid&gt;</c> (the connection then carries the process's stdio like
/// an ATTACH) or <c>error &lt;runc's message&gt;</c>. Finished execs keep their exit status for WAIT; the oldest are
/// forgotten beyond <see cref="MaxFinishedExecs"/>.
/// </summary>
internal sealed partial class Shim
{
    private const int MaxFinishedExecs = 128;

    private readonly Dictionary<string, ExecSession> _execs = new(StringComparer.Ordinal);
    private readonly Queue<string> _finishedExecs = new();
    private int _execSequence;
    private NativeExecLauncher? _nativeExec;

    private int ExecAttachers
    {
        get
        {
            int count = 0;
            foreach (var exec in _execs.Values) count += exec.AttacherCount;
            return count;
        }
    }

    private void HandleExec(ControlConnection connection, ShimRequest request)
    {
        string id = request.ExecId!;
        if (_status != Status.Running || _init.Reaped)
        {
            connection.ReplyAndClose(ShimReply.Error($"{Container} is not running"));
            return;
        }
        if (_execs.ContainsKey(id))
        {
            connection.ReplyAndClose(ShimReply.Error($"exec {id} already exists"));
            return;
        }
        string processFile = Path.Combine(_files.Directory, $"exec-{id}.json");
        if (NativeExecLauncher.Enabled && _runc.Shortcuts && TryNativeExec(connection, request, processFile)) return;
        string pidFile = Path.Combine(_files.Directory, $"exec-{id}.pid");
        ExecSession exec;
        try
        {
            // A short console socket name: the state directory's path already uses most of sun_path's 108 bytes.
            ProcessStdio stdio = request.Tty
                ? new PtyStdio(request.Stdin, Path.Combine(_files.Directory, $"x{++_execSequence}.sock"))
                : new PipeStdio(request.Stdin);
            exec = new ExecSession(_loop, id, stdio, _reaper);
            exec.CreateProcess();
            _execs[id] = exec;
            exec.Finished += OnExecFinished;
            connection.Defer();
            _runc.Exec(_reaper, processFile, pidFile, stdio, status => OnRuncExecDone(connection, request, exec, processFile, pidFile, status));
        }
        catch (UnixError e)
        {
            _execs.Remove(id);
            connection.ReplyAndClose(ShimReply.Error($"exec {id}: {e.Message}"));
        }
    }

    /// <summary>Starts the exec natively; false (nothing done) when it has to go through runc.</summary>
    private bool TryNativeExec(ControlConnection connection, ShimRequest request, string processFile)
    {
        string id = request.ExecId!;
        _nativeExec ??= new NativeExecLauncher(_config.Id, _config.Bundle, _loop, _reaper);
        NativeExecLauncher.Prepared prepared;
        try
        {
            var spec = ExecProcessSpec.Parse(Fd.ReadFile(processFile));
            prepared = _nativeExec.Prepare(_init.Pid, spec, request.Tty, request.Stdin, request.Height, request.Width);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or InvalidOperationException or UnixError
                                      or FormatException or OverflowException or DllNotFoundException or EntryPointNotFoundException)
        {
            ShimDiagnostics.Warn($"exec {id}: through runc ({e.Message})");
            return false;
        }
        TryDelete(processFile);
        var exec = new ExecSession(_loop, id, prepared.Stdio, _reaper);
        exec.CreateProcess();
        _execs[id] = exec;
        exec.Finished += OnExecFinished;
        try
        {
            _nativeExec.Start(prepared, (pid, error) =>
            {
                if (error is null)
                {
                    OnExecProcessStarted(connection, request, exec, pid);
                    return;
                }
                exec.Fail(126); // Docker's code for a command that could not be run
                connection.ReplyAndClose(ShimReply.Error(error));
            });
            connection.Defer();
        }
        catch (UnixError e)
        {
            exec.Fail(126);
            connection.ReplyAndClose(ShimReply.Error($"exec {id}: {e.Message}"));
        }
        return true;
    }

    private void OnRuncExecDone(ControlConnection connection, ShimRequest request, ExecSession exec, string processFile, string pidFile, int status)
    {
        TryDelete(processFile);
        if (status != 0)
        {
            string errors = exec.Stdio.ReadRuntimeErrors().Trim();
            if (errors.Length == 0) errors = $"runc exec failed with exit status {ChildReaper.ExitCode(status)}";
            exec.Fail(126); // Docker's code for a command that could not be run

            connection.ReplyAndClose(ShimReply.Error(errors));
            return;
        }
        int pid;
        try
        {
            pid = int.Parse(Encoding.ASCII.GetString(Fd.ReadFile(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            TryDelete(pidFile);
            exec.OnStarted(pid, request.Height, request.Width);
        }
        catch (Exception e) when (e is UnixError or FormatException or OverflowException or InvalidOperationException)
        {
            exec.Fail(126);
            connection.ReplyAndClose(ShimReply.Error($"exec {exec.Id}: {e.Message}"));
            return;
        }
        OnExecProcessStarted(connection, request, exec, pid);
    }

    /// <summary>The process runs: answer <c>ok &lt;pid&gt;</c> and hand the connection to its stdio when anything is attached.</summary>
    private static void OnExecProcessStarted(ControlConnection connection, ShimRequest request, ExecSession exec, int pid)
    {
        if (!exec.Started)
        {
            try
            {
                exec.OnStarted(pid, request.Height, request.Width);
            }
            catch (Exception e) when (e is UnixError or InvalidOperationException)
            {
                connection.ReplyAndClose(ShimReply.Error($"exec {exec.Id}: {e.Message}"));
                return;
            }
        }
        if (connection.Closed) return; // the daemon went away; the process runs on, detached
        if (!request.Stdin && !request.Stdout && !request.Stderr)
        {
            connection.ReplyAndClose(ShimReply.OkPid(pid));
            return;
        }
        int output = connection.TakePassedFd();
        int fd = connection.ReplyAndDetach(ShimReply.OkPid(pid));
        exec.Running.Hub.Add(fd, output, request.Stdin, request.Stdout, request.Stderr); // a hub whose output already ended closes it once flushed
    }

    private void HandleExecWait(ControlConnection connection, string id)
    {
        if (_execs.TryGetValue(id, out var exec)) exec.Wait(connection);
        else connection.ReplyAndClose(ShimReply.Error($"no such exec: {id}"));
    }

    private byte[] ResizeExec(string id, int height, int width)
    {
        if (!_execs.TryGetValue(id, out var exec)) return ShimReply.Error($"no such exec: {id}");
        if (!exec.Started || exec.Exit is not null) return ShimReply.Error($"exec {id} is not running");
        try
        {
            exec.Stdio.Resize(height, width);
            return ShimReply.Ok;
        }
        catch (Exception e) when (e is UnixError or InvalidOperationException)
        {
            return ShimReply.Error($"exec {id}: {e.Message}");
        }
    }

    private void OnExecFinished(ExecSession exec)
    {
        _finishedExecs.Enqueue(exec.Id);
        while (_finishedExecs.Count > MaxFinishedExecs) _execs.Remove(_finishedExecs.Dequeue());
    }

    private static void TryDelete(string path)
    {
        try { Fd.Unlink(path); } catch (UnixError) { }
    }
}
