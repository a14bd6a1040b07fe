using System.Runtime.InteropServices;
using System.Text;
using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// Runs an exec without runc: the shim forks on its loop thread and the child (<see cref="NativeExecChild"/>) joins
/// the init's cgroups and namespaces and applies the process's rlimits, capabilities, user, no_new_privs and the
/// container's seccomp filter, then execs. The parent prepares everything first (descriptors, strings, the BPF
/// program) so the child only makes system calls. <see cref="Prepare"/> throws <see cref="NotSupportedException"/>
/// (or another preparation error) when the exec must go through runc instead: user namespaces, AppArmor/SELinux
/// labels, seccomp features beyond runc 1.1's plain filters, an architecture other than x86-64/arm64.
/// Set BERTH_SHIM_EXEC=runc in the shim's environment to always use runc.
/// </summary>
internal sealed unsafe class NativeExecLauncher(string containerId, string bundle, EventLoop loop, ChildReaper reaper)
{
    public const string ModeVariable = "BERTH_SHIM_EXEC";
    private const string ProcSelfOomScoreAdj = "/proc/self/oom_score_adj";
    private static readonly (string Name, int Type)[] JoinedNamespaces =
        [("ipc", Libc.CLONE_NEWIPC), ("uts", Libc.CLONE_NEWUTS), ("net", Libc.CLONE_NEWNET), ("cgroup", Libc.CLONE_NEWCGROUP), ("mnt", Libc.CLONE_NEWNS)];

    private readonly NativeExecContainer _container = new(bundle);
    private readonly EventLoop _loop = loop;
    private readonly ChildReaper _reaper = reaper;
    private int _ownPidNs = -1;

    public static bool Enabled => System.Environment.GetEnvironmentVariable(ModeVariable) != "runc";

    /// <summary>An exec ready to fork: its plan and the descriptors the plan refers to.</summary>
    public sealed class Prepared(ExecProcessSpec spec, ProcessStdio stdio) : IDisposable
    {
        public ExecProcessSpec Spec { get; } = spec;
        public ProcessStdio Stdio { get; } = stdio;
        public NativeMemoryArena Arena { get; } = new();
        public NativeExecPlan* Plan { get; set; }
        public List<int> Fds { get; } = [];
        public int PidNamespace { get; set; } = -1;
        public int UnifiedCgroup { get; set; } = -1;
        public List<string> Candidates { get; } = [];
        public string Command => Spec.Args[0];

        /// <summary>Frees the plan and closes the descriptors it needed (not the stdio, which the exec keeps).</summary>
        public void Dispose()
        {
            foreach (int fd in Fds) Fd.Close(fd);
            Fds.Clear();
            Arena.Dispose();
        }
    }

    public Prepared Prepare(int initPid, ExecProcessSpec spec, bool tty, bool stdin, int height, int width)
    {
        _container.RequireSupported();
        var (keyctl, setgroups, setgid, setuid) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (250L, 116L, 106L, 105L),
            Architecture.Arm64 => (219L, 159L, 144L, 146L),
            var other => throw new NotSupportedException($"architecture {other}"),
        };
        RequireSameNamespace(initPid, "user");
        RequireSameNamespace(initPid, "time");
        var env = ExecEnvironment(spec.Env);
        if (!env.Exists(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + HomeOf(initPid, spec.Uid));
        int lastCap = int.Parse(Encoding.ASCII.GetString(Fd.ReadFile("/proc/sys/kernel/cap_last_cap")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        byte[]? seccomp = _container.Seccomp;
        var cgroups = _container.Cgroups(initPid);

        ProcessStdio stdio = tty ? new NativePtyStdio(initPid, stdin, height, width) : new PipeStdio(stdin);
        var prepared = new Prepared(spec, stdio);
        try
        {
            var arena = prepared.Arena;
            var plan = arena.Alloc<NativeExecPlan>();
            prepared.Plan = plan;
            plan->Stdin = stdio.ChildStdin;
            plan->Stdout = stdio.ChildStdout;
            plan->Stderr = stdio.ChildStderr;
            plan->Tty = tty ? 1 : 0;
            if (spec.OomScoreAdj is { } oom)
            {
                plan->OomScoreAdj = arena.String(oom.ToString(System.Globalization.CultureInfo.InvariantCulture));
                plan->OomScoreAdjFile = arena.String(ProcSelfOomScoreAdj);
            }
            plan->CgroupTasks = arena.Alloc<int>(cgroups.V1Tasks.Count);
            foreach (string file in cgroups.V1Tasks)
            {
                int fd = Fd.Open(file, Libc.O_WRONLY);
                prepared.Fds.Add(fd);
                plan->CgroupTasks[plan->CgroupCount++] = fd;
            }
            plan->UnifiedProcs = -1;
            if (cgroups.Unified is { } unified)
            {
                prepared.UnifiedCgroup = Fd.Open(unified, Libc.O_RDONLY | Libc.O_DIRECTORY);
                prepared.Fds.Add(prepared.UnifiedCgroup);
                plan->UnifiedProcs = Fd.Open(unified + "/cgroup.procs", Libc.O_WRONLY);
                prepared.Fds.Add(plan->UnifiedProcs);
            }
            plan->NamespaceFds = arena.Alloc<int>(JoinedNamespaces.Length);
            plan->NamespaceTypes = arena.Alloc<int>(JoinedNamespaces.Length);
            foreach (var (name, type) in JoinedNamespaces)
            {
                int fd = Fd.Open($"/proc/{initPid}/ns/{name}", Libc.O_RDONLY);
                prepared.Fds.Add(fd);
                plan->NamespaceFds[plan->NamespaceCount] = fd;
                plan->NamespaceTypes[plan->NamespaceCount++] = type;
            }
            if (NamespaceLink("self", "pid") != NamespaceLink(initPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "pid"))
            {
                if (_ownPidNs < 0) _ownPidNs = Fd.Open("/proc/self/ns/pid", Libc.O_RDONLY);
                prepared.PidNamespace = Fd.Open($"/proc/{initPid}/ns/pid", Libc.O_RDONLY);
                prepared.Fds.Add(prepared.PidNamespace);
            }

            plan->KeyctlSyscall = keyctl;
            plan->SetgroupsSyscall = setgroups;
            plan->SetgidSyscall = setgid;
            plan->SetuidSyscall = setuid;
            plan->SessionKeyring = arena.String("_ses." + containerId);
            plan->RlimitTypes = arena.Alloc<int>(spec.Rlimits.Count);
            plan->RlimitValues = arena.Alloc<ulong>(2 * spec.Rlimits.Count);
            foreach (var (type, soft, hard) in spec.Rlimits)
            {
                plan->RlimitTypes[plan->RlimitCount] = type;
                plan->RlimitValues[2 * plan->RlimitCount] = soft;
                plan->RlimitValues[2 * plan->RlimitCount++ + 1] = hard;
            }
            plan->NoNewPrivileges = spec.NoNewPrivileges ? 1 : 0;
            if (seccomp is not null)
            {
                var program = arena.Alloc<NativeSockFprog>();
                byte* filter = arena.Alloc<byte>(seccomp.Length);
                seccomp.CopyTo(new Span<byte>(filter, seccomp.Length));
                program->Length = (ushort)(seccomp.Length / 8);
                program->Filter = filter;
                plan->Seccomp = program;
            }
            plan->LastCap = Math.Min(lastCap, 63);
            ulong known = lastCap >= 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1;
            plan->Bounding = spec.Bounding & known;
            plan->Effective = spec.Effective & known;
            plan->Permitted = spec.Permitted & known;
            plan->Inheritable = spec.Inheritable & known;
            plan->Ambient = spec.Ambient & known;
            plan->Uid = spec.Uid;
            plan->Gid = spec.Gid;
            plan->Groups = arena.Alloc<uint>(spec.AdditionalGids.Count);
            foreach (uint gid in spec.AdditionalGids) plan->Groups[plan->GroupCount++] = gid;
            if (spec.Umask is { } umask)
            {
                plan->SetUmask = 1;
                plan->Umask = umask;
            }
            plan->Cwd = arena.String(spec.Cwd);

            string command = spec.Args[0];
            plan->Command = arena.String(command);
            plan->CommandHasSlash = command.Contains('/') ? 1 : 0;
            if (!command.Contains('/'))
            {
                string? path = null;
                foreach (string entry in env)
                    if (entry.StartsWith("PATH=", StringComparison.Ordinal)) path = entry[5..];
                foreach (string dir in path is null ? [] : path.Split(':'))
                    prepared.Candidates.Add(CleanPath((dir.Length == 0 ? "." : dir) + "/" + command));
            }
            plan->CandidateCount = prepared.Candidates.Count;
            plan->Candidates = arena.Strings(prepared.Candidates);
            plan->CandidateRelative = arena.Alloc<int>(prepared.Candidates.Count);
            for (int i = 0; i < prepared.Candidates.Count; i++) plan->CandidateRelative[i] = prepared.Candidates[i].StartsWith('/') ? 0 : 1;
            plan->Argv = arena.Strings(spec.Args);
            plan->Envp = arena.Strings(env);
            plan->EmptySigset = arena.Alloc<byte>(128);
            return prepared;
        }
        catch
        {
            prepared.Dispose();
            stdio.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Forks the exec's process. <paramref name="done"/> runs on the loop with the pid once it has exec'd, or with
    /// runc's wording of why it could not be started (the child has then exited and is reaped quietly).
    /// </summary>
    public void Start(Prepared prepared, Action<int, string?> done)
    {
        var (errorRead, errorWrite) = Fd.Pipe();
        var plan = prepared.Plan;
        plan->ErrorPipe = errorWrite;
        byte* all = stackalloc byte[128];
        byte* previous = stackalloc byte[128];
        Libc.sigfillset(all);
        int pid, forkErrno = 0;
        // Every signal stays blocked until the child has reset their dispositions: no handler of the shim runs there.
        Libc.pthread_sigmask(Libc.SIG_SETMASK, all, previous);
        // The child is born non-dumpable (the flag is inherited): from its first instant in the container's pid
        // namespace no process there can reach the shim's descriptors it holds through /proc.
        Libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        try
        {
            // A process joins a pid namespace only at birth: this thread's children are born in the container's until
            // it switches back right after the fork (nothing else forks in between: the loop is single-threaded).
            if (prepared.PidNamespace >= 0 && Libc.setns(prepared.PidNamespace, Libc.CLONE_NEWPID) < 0)
                throw UnixError.Last("join the container's pid namespace");
            pid = Fork(prepared);
            if (pid == 0)
            {
                NativeExecChild.Run(plan);
                ForkSafe._exit(127);
            }
            if (pid < 0) forkErrno = ForkSafe.Errno;
        }
        finally
        {
            if (prepared.PidNamespace >= 0 && Libc.setns(_ownPidNs, Libc.CLONE_NEWPID) < 0)
                System.Environment.FailFast("berth-shim: cannot return to its own pid namespace after an exec");
            Libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
            Libc.pthread_sigmask(Libc.SIG_SETMASK, previous, null);
            Fd.Close(errorWrite);
            prepared.Stdio.CloseChildEnds();
            prepared.Dispose();
        }
        if (pid < 0)
        {
            Fd.Close(errorRead);
            throw new UnixError("fork", forkErrno);
        }
        Fd.SetNonBlocking(errorRead);
        _loop.Add(errorRead, PollEvents.In, new ErrorPipeWatch(this, errorRead, pid, prepared, done));
    }

    /// <summary>
    /// fork, born into the v2 cgroup when there is one (clone3 CLONE_INTO_CGROUP: no migration, no threadgroup lock).
    /// clone3 without a new stack returns in the child like fork; the child only makes raw calls, so glibc's fork
    /// bookkeeping is not needed. Kernels without it (ENOSYS, E2BIG, EINVAL) get fork and the child writes cgroup.procs.
    /// </summary>
    private static int Fork(Prepared prepared)
    {
        var plan = prepared.Plan;
        if (prepared.UnifiedCgroup >= 0 && !_noCloneIntoCgroup)
        {
            plan->BornInUnified = 1;
            var args = new CloneArgs { Flags = CLONE_INTO_CGROUP, ExitSignal = SIGCHLD, Cgroup = (ulong)prepared.UnifiedCgroup };
            int pid = (int)ForkSafe.syscall(SYS_clone3, (long)&args, sizeof(CloneArgs), 0, 0);
            if (pid >= 0) return pid;
            if (ForkSafe.Errno is not (ENOSYS or E2BIG or EINVAL)) return -1;
            _noCloneIntoCgroup = true;
        }
        plan->BornInUnified = 0;
        return ForkSafe.fork();
    }

    private const int PR_SET_DUMPABLE = 4;
    private const long SYS_clone3 = 435;
    private const ulong CLONE_INTO_CGROUP = 0x200000000;
    private const ulong SIGCHLD = 17;
    private const int ENOSYS = 38, E2BIG = 7, EINVAL = 22;
    private static bool _noCloneIntoCgroup;

    [StructLayout(LayoutKind.Sequential)]
    private struct CloneArgs
    {
        public ulong Flags, PidFd, ChildTid, ParentTid, ExitSignal, Stack, StackSize, Tls, SetTid, SetTidSize, Cgroup;
    }

    private sealed class ErrorPipeWatch(NativeExecLauncher launcher, int fd, int pid, Prepared prepared, Action<int, string?> done) : IPollHandler
    {
        public void OnPoll(uint events)
        {
            NativeExecFailure failure;
            nint n = Libc.read(fd, (byte*)&failure, (nuint)sizeof(NativeExecFailure));
            if (n < 0 && Libc.Errno is Libc.EAGAIN or Libc.EINTR) return;
            launcher._loop.Remove(fd);
            Fd.Close(fd);
            if (n != sizeof(NativeExecFailure))
            {
                done(pid, null); // closed by a successful execve
                return;
            }
            launcher._reaper.Watch(pid, _ => { });
            done(pid, Message(prepared, failure));
        }
    }

    /// <summary>runc 1.1's text for the failure, so clients see the same errors whichever path ran the exec.</summary>
    internal static string Message(Prepared prepared, NativeExecFailure failure)
    {
        const string Prefix = "exec failed: unable to start container process: ";
        string error = GoError(failure.Errno);
        string command = prepared.Command;
        string Resolved() => failure.Detail >= 0 && failure.Detail < prepared.Candidates.Count ? prepared.Candidates[failure.Detail] : command;
        return Prefix + failure.Step switch
        {
            NativeExecStep.LookPath when failure.Detail == -2 => $"exec: \"{command}\": executable file not found in $PATH",
            NativeExecStep.LookPath when failure.Detail >= 0 => $"exec: \"{command}\": cannot run executable found relative to current directory",
            NativeExecStep.LookPath when failure.Errno == 13 => $"exec: \"{command}\": {error}",
            NativeExecStep.LookPath => $"exec: \"{command}\": stat {command}: {error}",
            NativeExecStep.Access or NativeExecStep.Execve => $"exec {Resolved()}: {error}",
            NativeExecStep.Chdir => $"chdir to cwd (\"{prepared.Spec.Cwd}\") set in config.json failed: {error}",
            var step => $"{step.ToString().ToLowerInvariant()}: {error}",
        };
    }

    /// <summary>Go's errno strings are glibc's with a lower-case first letter.</summary>
    private static string GoError(int errno)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>runc's environment: entries set in order, a repeated name keeps its first place and takes the last value.</summary>
    internal static List<string> ExecEnvironment(List<string> entries)
    {
        var env = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            int eq = entry.IndexOf('=');
            if (eq <= 0 || entry.Contains('\0')) throw new NotSupportedException($"environment entry {entry}"); // runc's error wording
            string name = entry[..eq];
            if (index.TryGetValue(name, out int at)) env[at] = entry;
            else
            {
                index[name] = env.Count;
                env.Add(entry);
            }
        }
        return env;
    }

    /// <summary>The user's home from the container's /etc/passwd, "/" without one (runc's default for a missing HOME).</summary>
    internal static string HomeOf(int initPid, uint uid)
    {
        string passwd;
        try
        {
            int root = Fd.Open($"/proc/{initPid}/root", Libc.O_PATH | Libc.O_DIRECTORY);
            int fd;
            try
            {
                fd = NativePtyStdio.OpenInRoot(root, "etc/passwd", Libc.O_RDONLY);
            }
            finally
            {
                Fd.Close(root);
            }
            passwd = PasswdText(fd);
        }
        catch (UnixError)
        {
            return "/";
        }
        return HomeIn(passwd, uid);
    }

    internal static string HomeIn(string passwd, uint uid)
    {
        foreach (string line in passwd.Split('\n'))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 6 && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint u) && u == uid)
                return fields[5];
        }
        return "/";
    }

    private static string PasswdText(int fd)
    {
        try
        {
            var text = new MemoryStream();
            Span<byte> buffer = stackalloc byte[8192];
            while (text.Length < 1 << 20)
            {
                int n = Fd.Read(fd, buffer);
                if (n <= 0) break;
                text.Write(buffer[..n]);
            }
            return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }
        finally
        {
            Fd.Close(fd);
        }
    }

    /// <summary>Go's filepath.Clean, which exec.LookPath applies through filepath.Join.</summary>
    internal static string CleanPath(string path)
    {
        bool rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (part == ".." && rooted) continue;
            else parts.Add(part);
        }
        string cleaned = (rooted ? "/" : "") + string.Join('/', parts);
        return cleaned.Length == 0 ? "." : cleaned;
    }

    private static void RequireSameNamespace(int initPid, string name)
    {
        string own = NamespaceLink("self", name);
        if (own.Length == 0) return; // the kernel has no such namespace
        if (own != NamespaceLink(initPid.ToString(System.Globalization.CultureInfo.InvariantCulture), name))
            throw new NotSupportedException($"the container has its own {name} namespace");
    }

    private static string NamespaceLink(string pid, string name)
    {
        byte* path = stackalloc byte[64];
        Fd.CString($"/proc/{pid}/ns/{name}", path);
        byte* target = stackalloc byte[128];
        nint n = Libc.readlink(path, target, 128);
        return n > 0 ? Encoding.ASCII.GetString(target, (int)n) : "";
    }
}
