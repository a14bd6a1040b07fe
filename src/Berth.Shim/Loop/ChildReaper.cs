using Berth.Shim.Native;

namespace Berth.Shim.Loop;

/// <summary>
/// Reaps every child of the shim (runc invocations and, as child subreaper, the container's init and any orphan).
/// A pidfd per watched child wakes the loop; each wake-up collects all zombies with waitpid(-1, WNOHANG), so orphans
/// reparented to the shim never pile up. Statuses of children reaped before anyone watched them are kept for a later Watch.
/// </summary>
internal sealed unsafe class ChildReaper(EventLoop loop)
{
    private const int MaxUnclaimed = 64;
    /// <summary>Reported when a child vanished without the shim seeing its status (exit code 255).</summary>
    private const int UnknownStatus = 255 << 8;
    private readonly Dictionary<int, PidWatch> _watches = [];
    private readonly Dictionary<int, int> _unclaimed = [];

    /// <summary>Calls <paramref name="onExit"/> with the raw wait status once <paramref name="pid"/> has exited and was reaped.</summary>
    public void Watch(int pid, Action<int> onExit)
    {
        if (_unclaimed.Remove(pid, out int status))
        {
            onExit(status);
            return;
        }
        int pidfd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0);
        if (pidfd < 0)
        {
            // ESRCH: the child is gone already, so a sweep either finds its zombie now or it was never ours.
            int errno = Libc.Errno;
            ReapAll();
            if (_unclaimed.Remove(pid, out status)) onExit(status);
            else if (errno != Libc.ESRCH) throw new UnixError($"pidfd_open {pid}", errno);
            else onExit(UnknownStatus);
            return;
        }
        var watch = new PidWatch(this, pidfd, onExit);
        _watches[pid] = watch;
        loop.Add(pidfd, PollEvents.In, watch);
    }

    /// <summary>Collects every exited child; watched ones get their callback, others are remembered (bounded).</summary>
    public void ReapAll()
    {
        int status;
        while (true)
        {
            int pid = Libc.waitpid(-1, &status, Libc.WNOHANG);
            if (pid < 0 && Libc.Errno == Libc.EINTR) continue;
            if (pid <= 0) return;
            if (_watches.Remove(pid, out var watch))
            {
                loop.Remove(watch.PidFd);
                Fd.Close(watch.PidFd);
                watch.OnExit(status);
            }
            else if (_unclaimed.Count < MaxUnclaimed)
            {
                _unclaimed[pid] = status;
            }
        }
    }

    /// <summary>Blocking wait for one specific child, used only before the loop runs (runc create).</summary>
    public static int WaitBlocking(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0)
            if (Libc.Errno != Libc.EINTR) throw UnixError.Last($"waitpid {pid}");
        return status;
    }

    /// <summary>Docker's convention: the exit status, or 128 + signal number when a signal ended the process.</summary>
    public static int ExitCode(int status)
    {
        int signal = status & 0x7F;
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal;
    }

    private sealed class PidWatch(ChildReaper reaper, int pidFd, Action<int> onExit) : IPollHandler
    {
        public int PidFd { get; } = pidFd;
        public Action<int> OnExit { get; } = onExit;

        public void OnPoll(uint events) => reaper.ReapAll();
    }
}
