using System.Text;
using Berth.Shim.Io;
using Berth.Shim.Log;
using Berth.Shim.Log.Forward;
using Berth.Shim.Loop;
using Berth.Shim.Native;
using Berth.Shim.Runtime;

namespace Berth.Shim;

internal sealed partial class Shim
{
    /// <summary>
    /// Listens on shim.sock, sets up the stdio and runs <c>runc create</c>; returns the init pid. The user's program has
    /// not started yet (START does that), so the daemon can attach before there is any output.
    /// Throws <see cref="StartupError"/> with runc's message when the container cannot be created.
    /// </summary>
    public int Create()
    {
        _listener = UnixSocket.Listen(_files.Socket);
        ProcessStdio stdio = _config.Tty ? new PtyStdio(_config.OpenStdin, _files.ConsoleSocket) : new PipeStdio(_config.OpenStdin);
        try
        {
            if (_config.LogPath.Length > 0) _log = new JsonLogEncoder(_loop, new LogFile(_config.LogPath, _config.LogMaxSize, _config.LogMaxFiles, _config.LogCompress))
            {
                NonBlocking = _config.LogNonBlocking,
            };
            if (_config.LogForward is not null) _forward = new LogForwarder(_loop, _config.LogForward) { NonBlocking = _config.LogNonBlocking };
            _init = new ContainerProcess(_loop, _reaper, stdio, _log, _config.StdinOnce, OnInitChanged, _forward);

            int runc = _runc.SpawnCreate(_config.Bundle, _files.InitPid, stdio);
            int status = ChildReaper.WaitBlocking(runc);
            if (status != 0)
            {
                string errors = stdio.ReadRuntimeErrors().Trim();
                throw new StartupError(errors.Length > 0 ? errors : $"runc create failed with exit status {ChildReaper.ExitCode(status)}");
            }
            stdio.OnCreated(_config.ConsoleHeight, _config.ConsoleWidth);
            int pid = ReadInitPid();
            _init.OnCreated(pid);
            return pid;
        }
        catch
        {
            stdio.Dispose();
            throw;
        }
    }

    /// <summary>Undoes a failed create so that no runc state or cgroup is left behind.</summary>
    public void CleanUpFailedCreate()
    {
        string? error = _runc.DeleteBlocking();
        if (error is not null && !error.Contains("does not exist", StringComparison.Ordinal)) ShimDiagnostics.Warn($"runc delete: {error}");
    }

    private int ReadInitPid()
    {
        string text = Encoding.ASCII.GetString(Fd.ReadFile(_files.InitPid)).Trim();
        return int.TryParse(text, out int pid) && pid > 0
            ? pid
            : throw new StartupError($"runc wrote an invalid pid file {_files.InitPid}: \"{text}\"");
    }
}

/// <summary>Creating the container failed; the message is what the daemon reports (usually runc's error).</summary>
internal sealed class StartupError(string message) : Exception(message);
