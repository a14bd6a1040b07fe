namespace Berth.Shim.Native;

/// <summary>
/// The forked child of an exec: turns itself into the container's process the way runc exec's init does, then execve.
/// Runs between fork and execve, so it only reads its <see cref="NativeExecPlan"/> and calls <see cref="ForkSafe"/>:
/// no allocation, no exceptions, no statics. A failed step is written to the error pipe and the child exits 1.
/// Order (runc's): non-dumpable, oom_score_adj, cgroups, namespaces (the pid namespace was entered by the parent
/// around the fork), setsid, stdio and the controlling terminal, session keyring, rlimits, no_new_privs, seccomp
/// unless no_new_privs (it needs CAP_SYS_ADMIN then), bounding set, groups/gid/uid keeping capabilities, cwd,
/// capabilities, PATH look-up, seccomp with no_new_privs (as late as possible), execve.
/// </summary>
internal static unsafe class NativeExecChild
{
    private const int O_WRONLY = 1, O_CLOEXEC = 0x80000, F_SETFD = 2, AT_FDCWD = -100, X_OK = 1, AT_EACCESS = 0x200;
    private const int EINTR = 4, EACCES = 13, EPERM = 1, EINVAL = 22, ENOSYS = 38;
    private const int PR_SET_DUMPABLE = 4, PR_SET_KEEPCAPS = 8, PR_SET_SECCOMP = 22, PR_CAPBSET_DROP = 24,
        PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_RAISE = 2, SECCOMP_MODE_FILTER = 2;
    private const ulong TIOCSCTTY = 0x540E;
    private const long SYS_close_range = 436;
    private const int CLOSE_RANGE_CLOEXEC = 4, KEYCTL_JOIN_SESSION_KEYRING = 1, SIG_SETMASK = 2;
    private const uint STATX_MODE = 2, S_IFMT = 0xF000, S_IFDIR = 0x4000;
    private const int LinuxCapabilityVersion3 = 0x20080522;

    public static void Run(NativeExecPlan* p)
    {
        // Until execve this process holds the shim's descriptors while it is visible in the container: like runc,
        // make it non-dumpable so the container's processes cannot reach them through /proc.
        if (ForkSafe.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) Fail(p, NativeExecStep.Dumpable, 0);
        for (int signal = 1; signal < 65; signal++) ForkSafe.signal(signal, 0); // SIG_DFL; errors (SIGKILL...) are fine

        if (p->OomScoreAdj != null) WriteOomScoreAdj(p);
        byte zero = (byte)'0';
        for (int i = 0; i < p->CgroupCount; i++)
            if (ForkSafe.write(p->CgroupTasks[i], &zero, 1) != 1) Fail(p, NativeExecStep.Cgroup, i);
        if (p->UnifiedProcs >= 0 && p->BornInUnified == 0 && ForkSafe.write(p->UnifiedProcs, &zero, 1) != 1)
            Fail(p, NativeExecStep.Cgroup, -1);
        for (int i = 0; i < p->NamespaceCount; i++)
            if (ForkSafe.setns(p->NamespaceFds[i], p->NamespaceTypes[i]) < 0) Fail(p, NativeExecStep.Setns, p->NamespaceTypes[i]);
        if (ForkSafe.setsid() < 0) Fail(p, NativeExecStep.Setsid, 0);
        SetupStdio(p);
        // Everything else the shim had open stays out of the container.
        ForkSafe.syscall(SYS_close_range, 3, uint.MaxValue, CLOSE_RANGE_CLOEXEC, 0);

        if (ForkSafe.syscall(p->KeyctlSyscall, KEYCTL_JOIN_SESSION_KEYRING, (long)p->SessionKeyring, 0, 0) < 0 && ForkSafe.Errno != ENOSYS)
            Fail(p, NativeExecStep.Keyring, 0);
        for (int i = 0; i < p->RlimitCount; i++)
            if (ForkSafe.setrlimit(p->RlimitTypes[i], p->RlimitValues + 2 * i) < 0) Fail(p, NativeExecStep.Rlimit, p->RlimitTypes[i]);
        if (p->NoNewPrivileges != 0 && ForkSafe.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) Fail(p, NativeExecStep.NoNewPrivileges, 0);
        if (p->Seccomp != null && p->NoNewPrivileges == 0) LoadSeccomp(p);

        for (int cap = 0; cap <= p->LastCap; cap++)
            if ((p->Bounding & (1UL << cap)) == 0 && ForkSafe.prctl(PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0) < 0 && ForkSafe.Errno != EINVAL)
                Fail(p, NativeExecStep.Bounding, cap);
        // runc tries the directory as root first (the user may lack access to a path that root reaches), and again
        // as the user when root was refused (a root-squashed volume the user owns).
        bool chdirLater = false;
        if (p->Cwd != null && ForkSafe.chdir(p->Cwd) < 0)
        {
            int errno = ForkSafe.Errno;
            if (errno is EACCES or EPERM) chdirLater = true;
            else Fail(p, NativeExecStep.Chdir, 0);
        }
        if (ForkSafe.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) Fail(p, NativeExecStep.KeepCaps, 0);
        SetUser(p);
        if (chdirLater && ForkSafe.chdir(p->Cwd) < 0) Fail(p, NativeExecStep.Chdir, 0);
        if (ForkSafe.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) Fail(p, NativeExecStep.KeepCaps, 0);
        SetCapabilities(p);
        if (p->SetUmask != 0) ForkSafe.umask(p->Umask);

        byte* path = LookPath(p);
        if (ForkSafe.faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0) Fail(p, NativeExecStep.Access, CandidateIndex(p, path));
        if (p->Seccomp != null && p->NoNewPrivileges != 0) LoadSeccomp(p);
        ForkSafe.sigprocmask(SIG_SETMASK, p->EmptySigset, null);
        while (true)
        {
            ForkSafe.execve(path, p->Argv, p->Envp);
            if (ForkSafe.Errno != EINTR) Fail(p, NativeExecStep.Execve, CandidateIndex(p, path));
        }
    }

    private static void WriteOomScoreAdj(NativeExecPlan* p)
    {
        // /proc/self/oom_score_adj, opened here: in the parent it would be the shim's.
        int fd = ForkSafe.open(p->OomScoreAdjFile, O_WRONLY | O_CLOEXEC, 0);
        if (fd < 0) Fail(p, NativeExecStep.OomScoreAdj, 0);
        nuint length = 0;
        while (p->OomScoreAdj[length] != 0) length++;
        if (ForkSafe.write(fd, p->OomScoreAdj, length) != (nint)length) Fail(p, NativeExecStep.OomScoreAdj, 0);
        ForkSafe.close(fd);
    }

    private static void SetupStdio(NativeExecPlan* p)
    {
        Dup(p, p->Stdin, 0);
        Dup(p, p->Stdout, 1);
        Dup(p, p->Stderr, 2);
        if (p->Tty != 0 && ForkSafe.ioctl(0, TIOCSCTTY, 0) < 0) Fail(p, NativeExecStep.Terminal, 0);
    }

    private static void Dup(NativeExecPlan* p, int from, int to)
    {
        // dup2 onto itself would keep close-on-exec; the shim's own 0-2 are never the child's ends, but be exact.
        int result = from == to ? ForkSafe.fcntl(to, F_SETFD, 0) : ForkSafe.dup2(from, to);
        if (result < 0) Fail(p, NativeExecStep.Stdio, to);
    }

    private static void LoadSeccomp(NativeExecPlan* p)
    {
        if (ForkSafe.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (ulong)p->Seccomp, 0, 0) < 0) Fail(p, NativeExecStep.Seccomp, 0);
    }

    private static void SetUser(NativeExecPlan* p)
    {
        // Raw syscalls: glibc's set*id wrappers may try to signal threads this child does not have.
        if (ForkSafe.syscall(p->SetgroupsSyscall, p->GroupCount, (long)p->Groups, 0, 0) < 0) Fail(p, NativeExecStep.Groups, 0);
        if (ForkSafe.syscall(p->SetgidSyscall, p->Gid, 0, 0, 0) < 0) Fail(p, NativeExecStep.Setgid, (int)p->Gid);
        if (ForkSafe.syscall(p->SetuidSyscall, p->Uid, 0, 0, 0) < 0) Fail(p, NativeExecStep.Setuid, (int)p->Uid);
    }

    private static void SetCapabilities(NativeExecPlan* p)
    {
        int* header = stackalloc int[2];
        header[0] = LinuxCapabilityVersion3;
        header[1] = 0;
        uint* data = stackalloc uint[6]; // two of { effective, permitted, inheritable }: bits 0-31, then 32-63
        data[0] = (uint)p->Effective;
        data[1] = (uint)p->Permitted;
        data[2] = (uint)p->Inheritable;
        data[3] = (uint)(p->Effective >> 32);
        data[4] = (uint)(p->Permitted >> 32);
        data[5] = (uint)(p->Inheritable >> 32);
        if (ForkSafe.capset(header, data) < 0) Fail(p, NativeExecStep.Capabilities, 0);
        // runc (gocapability) keeps only the last capability's result, so a refused raise (a capability missing from
        // the permitted or inheritable set) goes unreported there: it is not an error here either.
        for (int cap = 0; cap <= p->LastCap; cap++)
            if ((p->Ambient & (1UL << cap)) != 0) ForkSafe.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)cap, 0, 0);
    }

    /// <summary>Go's exec.LookPath as runc 1.1 (Go 1.19) runs it: a name with a slash is used as is, else the first
    /// executable regular file along PATH; a match in a relative directory is refused.</summary>
    private static byte* LookPath(NativeExecPlan* p)
    {
        byte* statx = stackalloc byte[256];
        if (p->CommandHasSlash != 0)
        {
            int error = FindExecutable(p->Command, statx);
            if (error != 0) FailWith(p, NativeExecStep.LookPath, error, -1);
            return p->Command;
        }
        for (int i = 0; i < p->CandidateCount; i++)
        {
            if (FindExecutable(p->Candidates[i], statx) != 0) continue;
            if (p->CandidateRelative[i] != 0) FailWith(p, NativeExecStep.LookPath, 0, i);
            return p->Candidates[i];
        }
        FailWith(p, NativeExecStep.LookPath, 0, -2);
        return null;
    }

    private static int FindExecutable(byte* path, byte* statx)
    {
        if (ForkSafe.statx(AT_FDCWD, path, 0, STATX_MODE, statx) < 0) return ForkSafe.Errno;
        uint mode = *(ushort*)(statx + 0x1C);
        // Go 1.19: a directory or a file without any execute bit is "permission denied".
        return (mode & S_IFMT) != S_IFDIR && (mode & 0x49) != 0 ? 0 : EACCES;
    }

    private static int CandidateIndex(NativeExecPlan* p, byte* path)
    {
        for (int i = 0; i < p->CandidateCount; i++)
            if (p->Candidates[i] == path) return i;
        return -1;
    }

    private static void Fail(NativeExecPlan* p, NativeExecStep step, int detail) => FailWith(p, step, ForkSafe.Errno, detail);

    private static void FailWith(NativeExecPlan* p, NativeExecStep step, int errno, int detail)
    {
        var failure = new NativeExecFailure { Step = step, Errno = errno, Detail = detail };
        ForkSafe.write(p->ErrorPipe, &failure, (nuint)sizeof(NativeExecFailure));
        ForkSafe._exit(1);
    }
}
