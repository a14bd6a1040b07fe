using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>
/// Everything the forked child needs to become the exec'd process, laid out in native memory before the fork: the
/// child only reads it (no allocation, no managed objects). Descriptors are opened by the parent; strings are
/// NUL-terminated UTF-8, lists are counted arrays. See <see cref="NativeExecChild"/> for the order of the steps.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeExecPlan
{
    public int ErrorPipe;               // write end, close-on-exec: EOF in the parent means execve succeeded
    public int Stdin, Stdout, Stderr;   // become 0, 1, 2
    public int Tty;                     // 1: stdin is a pty slave that becomes the controlling terminal

    public byte* OomScoreAdj;           // text for /proc/self/oom_score_adj, or null
    public byte* OomScoreAdjFile;       // "/proc/self/oom_score_adj"
    public int CgroupCount;
    public int* CgroupTasks;            // open v1 tasks files of the init's cgroups: the child writes "0" to each
    public int UnifiedProcs;            // the v2 cgroup.procs, or -1
    public int BornInUnified;           // 1: clone3 put the child there already
    public int NamespaceCount;
    public int* NamespaceFds;           // the init's namespaces (mount last), joined in order
    public int* NamespaceTypes;

    public long KeyctlSyscall, SetgroupsSyscall, SetgidSyscall, SetuidSyscall; // this architecture's numbers
    public byte* SessionKeyring;        // "_ses.<container id>"
    public int RlimitCount;
    public int* RlimitTypes;
    public ulong* RlimitValues;         // soft, hard pairs

    public int NoNewPrivileges;
    public NativeSockFprog* Seccomp;    // null: no filter
    public int LastCap;
    public ulong Bounding, Effective, Permitted, Inheritable, Ambient;
    public uint Uid, Gid;
    public int GroupCount;
    public uint* Groups;
    public int SetUmask;
    public uint Umask;
    public byte* Cwd;

    public byte* Command;               // args[0] as given, for the error message's look-up rules
    public int CommandHasSlash;
    public int CandidateCount;
    public byte** Candidates;           // PATH look-up: each directory joined with the command
    public int* CandidateRelative;      // found there would be Go's ErrDot (runc refuses it)
    public byte** Argv;
    public byte** Envp;
    public byte* EmptySigset;
}

/// <summary>struct sock_fprog.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeSockFprog
{
    public ushort Length;               // instructions (8 bytes each)
    public void* Filter;
}

/// <summary>What a failed child reports on its error pipe before exiting.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeExecFailure
{
    public NativeExecStep Step;
    public int Errno;
    public int Detail;                  // look-up: index of the candidate, -1 for a path with a slash
}

internal enum NativeExecStep
{
    OomScoreAdj = 1, Cgroup, Setns, Setsid, Stdio, Terminal, Keyring, Rlimit, NoNewPrivileges, Seccomp, Bounding,
    KeepCaps, Groups, Setgid, Setuid, Chdir, Capabilities, Ambient, LookPath, Access, Execve, Dumpable,
}

/// <summary>Owns the native allocations behind one <see cref="NativeExecPlan"/>; freed by the parent after the fork.</summary>
internal sealed unsafe class NativeMemoryArena : IDisposable
{
    private readonly List<nint> _blocks = [];

    public T* Alloc<T>(int count = 1) where T : unmanaged
    {
        var p = (T*)NativeMemory.AllocZeroed((nuint)(Math.Max(count, 1) * sizeof(T)));
        _blocks.Add((nint)p);
        return p;
    }

    public byte* String(string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        byte* p = Alloc<byte>(length + 1);
        System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>(p, length));
        return p;
    }

    public byte** Strings(IReadOnlyList<string> values)
    {
        byte** p = Alloc<nint>(values.Count + 1) is var raw ? (byte**)raw : null;
        for (int i = 0; i < values.Count; i++) p[i] = String(values[i]);
        return p;
    }

    public void Dispose()
    {
        foreach (nint block in _blocks) NativeMemory.Free((void*)block);
        _blocks.Clear();
    }
}
