using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// Invocations of the OCI runtime. Its log goes to a file (--log), which leaves just the final error message on
/// stderr; that text becomes the shim's error reply. The runtime's own args come first, as global options. With
/// <paramref name="shortcuts"/> (berthd's runc) start and delete may skip running it (exec fifo, direct state removal);
/// any other runtime is run for every step, since its state is its own.
/// </summary>
internal sealed class Runc(string runtime, IReadOnlyList<string> runtimeArgs, string root, string logFile, string id, bool shortcuts = true)
{
    private readonly string _execFifo = Path.Combine(root, id, ExecFifoStart.FileName);
    private readonly string[] _global = [runtime, .. runtimeArgs, "--root", root, "--log", logFile, "--log-format", "json"];

    /// <summary>False for a foreign runtime: the shim must go through it for signals and execs too.</summary>
    public bool Shortcuts => shortcuts;

    /// <summary>Spawns <c>runc create</c> with the process's stdio; the caller waits for it.</summary>
    public int SpawnCreate(string bundle, string pidFile, ProcessStdio stdio)
    {
        List<string> args = [.. _global, "create", "--bundle", bundle, "--pid-file", pidFile];
        if (stdio.ConsoleSocketPath is { } console) args.AddRange(["--console-socket", console]);
        args.Add(id);
        int pid = ProcessSpawner.Spawn(args, stdio.ChildStdin, stdio.ChildStdout, stdio.ChildStderr);
        stdio.CloseChildEnds();
        return pid;
    }

    /// <summary>
    /// Spawns <c>runc exec --detach</c> for the process described by <paramref name="processFile"/> with the process's
    /// stdio; <paramref name="done"/> gets the raw wait status of runc once it has exited (the process then runs on,
    /// reparented to the shim, its pid in <paramref name="pidFile"/>).
    /// </summary>
    public void Exec(ChildReaper reaper, string processFile, string pidFile, ProcessStdio stdio, Action<int> done)
    {
        List<string> args = [.. _global, "exec", "--process", processFile, "--pid-file", pidFile, "--detach"];
        if (stdio.ConsoleSocketPath is { } console) args.AddRange(["--console-socket", console]);
        args.Add(id);
        int pid = ProcessSpawner.Spawn(args, stdio.ChildStdin, stdio.ChildStdout, stdio.ChildStderr);
        stdio.CloseChildEnds();
        reaper.Watch(pid, done);
    }

    /// <summary>
    /// Lets the created container's process run, on the loop: through its exec fifo as runc start would (see
    /// <see cref="ExecFifoStart"/>), or by <c>runc start</c> when there is no fifo to open. <paramref name="done"/> gets
    /// null on success or the error text; <paramref name="initGone"/> says whether the init has been reaped meanwhile.
    /// </summary>
    public void Start(EventLoop loop, ChildReaper reaper, Func<bool> initGone, Action<string?> done)
    {
        if (!shortcuts || !ExecFifoStart.TryBegin(loop, _execFifo, initGone, done)) RunAsync(reaper, [.. _global, "start", id], done);
    }

    /// <summary>
    /// Removes the runc state and cgroups of a container whose init has exited: directly when that is all runc delete
    /// would do (see <see cref="StoppedContainerCleanup"/>), else by <c>runc delete --force</c>.
    /// </summary>
    public void Delete(ChildReaper reaper, Action<string?> done)
    {
        if (shortcuts && StoppedContainerCleanup.TryRemove(root, id) is null) done(null);
        else RunAsync(reaper, [.. _global, "delete", "--force", id], done);
    }

    /// <summary><c>runc kill ID SIGNAL</c>: how a foreign runtime's container is signalled (its init may be a sandbox).</summary>
    public void Kill(ChildReaper reaper, int signal, Action<string?> done) =>
        RunAsync(reaper, [.. _global, "kill", id, signal.ToString(System.Globalization.CultureInfo.InvariantCulture)], done);

    /// <summary>Used when start-up fails, before the loop exists.</summary>
    public string? DeleteBlocking()
    {
        var (errors, pid) = Spawn([.. _global, "delete", "--force", id]);
        int status = ChildReaper.WaitBlocking(pid);
        return Outcome("delete", status, errors);
    }

    private void RunAsync(ChildReaper reaper, string[] args, Action<string?> done)
    {
        int errors, pid;
        try
        {
            (errors, pid) = Spawn(args);
        }
        catch (UnixError e)
        {
            done(e.Message);
            return;
        }
        reaper.Watch(pid, status => done(Outcome(args[_global.Length], status, errors)));
    }

    private static (int ErrorsFd, int Pid) Spawn(string[] args)
    {
        int devNull = Fd.Open("/dev/null", Libc.O_RDWR);
        var (errorsRead, errorsWrite) = Fd.Pipe();
        try
        {
            Fd.SetNonBlocking(errorsRead);
            int pid = ProcessSpawner.Spawn(args, devNull, devNull, errorsWrite);
            return (errorsRead, pid);
        }
        catch
        {
            Fd.Close(errorsRead);
            throw;
        }
        finally
        {
            Fd.Close(devNull);
            Fd.Close(errorsWrite);
        }
    }

    /// <summary>null for success, else runc's message (or its exit status when it printed nothing).</summary>
    private static string? Outcome(string verb, int status, int errorsFd)
    {
        string text = PipeStdio.ReadAvailable(errorsFd).Trim();
        Fd.Close(errorsFd);
        if (status == 0) return null;
        return text.Length > 0 ? text : $"runc {verb} failed with exit status {ChildReaper.ExitCode(status)}";
    }
}
