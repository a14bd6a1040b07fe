using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>
/// The libc calls the shim makes. Everything is blittable so the NativeAOT build binds them directly
/// (DirectPInvoke) without marshalling stubs. Constants are Linux x86-64/arm64 (asm-generic) values.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3, F_SETFL = 4, F_SETPIPE_SZ = 1031;
    public const int EINTR = 4, EAGAIN = 11, ENOENT = 2, ESRCH = 3, EIO = 5, ECHILD = 10, EPIPE = 32, ECONNRESET = 104;
    public const int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGPIPE = 13, SIGTERM = 15;
    public const int WNOHANG = 1;
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int SHUT_WR = 1;
    public const int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public const int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    public const ulong TIOCSWINSZ = 0x5414;
    public const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    public const long SYS_pidfd_open = 434;
    public static readonly nint SIG_IGN = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec { public long Seconds; public long Nanoseconds; }

    [StructLayout(LayoutKind.Sequential)]
    public struct Winsize { public ushort Rows, Cols, XPixel, YPixel; }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec { public void* Base; public nuint Length; }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name; public uint NameLength; public IoVec* Iov; public nuint IovLength;
        public void* Control; public nuint ControlLength; public int Flags;
    }

    [LibraryImport(Lib, SetLastError = true)] public static partial int setsid();
    [LibraryImport(Lib, SetLastError = true)] public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
    [LibraryImport(Lib)] public static partial nint signal(int signum, nint handler);
    [LibraryImport(Lib)] public static partial uint umask(uint mask);
    [LibraryImport(Lib, SetLastError = true)] public static partial int chdir(byte* path);

    [LibraryImport(Lib, SetLastError = true)] public static partial int open(byte* path, int flags, int mode);
    [LibraryImport(Lib, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint read(int fd, byte* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint write(int fd, byte* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial int dup2(int oldFd, int newFd);
    [LibraryImport(Lib, SetLastError = true)] public static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport(Lib, SetLastError = true)] public static partial int pipe2(int* fds, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int fsync(int fd);
    [LibraryImport(Lib, SetLastError = true)] public static partial int rename(byte* from, byte* to);
    [LibraryImport(Lib, SetLastError = true)] public static partial int unlink(byte* path);
    [LibraryImport(Lib, SetLastError = true)] public static partial int access(byte* path, int mode);
    [LibraryImport(Lib, SetLastError = true)] public static partial long lseek(int fd, long offset, int whence);
    [LibraryImport(Lib, SetLastError = true)] public static partial int ioctl(int fd, ulong request, void* arg);
    [LibraryImport(Lib, SetLastError = true)] public static partial int madvise(void* address, nuint length, int advice);

    [LibraryImport(Lib, SetLastError = true)] public static partial int epoll_create1(int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int epoll_ctl(int epfd, int op, int fd, void* ev);
    [LibraryImport(Lib, SetLastError = true)] public static partial int epoll_wait(int epfd, void* events, int maxEvents, int timeout);

    [LibraryImport(Lib, SetLastError = true)] public static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Lib, SetLastError = true)] public static partial int bind(int fd, void* addr, uint addrLength);
    [LibraryImport(Lib, SetLastError = true)] public static partial int listen(int fd, int backlog);
    [LibraryImport(Lib, SetLastError = true)] public static partial int accept4(int fd, void* addr, void* addrLength, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint recv(int fd, byte* buffer, nuint length, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int shutdown(int fd, int how);

    [LibraryImport(Lib, SetLastError = true)] public static partial int waitpid(int pid, int* status, int options);
    [LibraryImport(Lib, SetLastError = true)] public static partial int kill(int pid, int signal);
    [LibraryImport(Lib, SetLastError = true)] public static partial long syscall(long number, long arg1, long arg2);
    [LibraryImport(Lib)] public static partial int clock_gettime(int clock, Timespec* ts);

    [LibraryImport(Lib)] public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_init(void* fileActions);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_destroy(void* fileActions);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_init(void* attr);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setflags(void* attr, short flags);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_destroy(void* attr);
    [LibraryImport(Lib)] public static partial int sigemptyset(void* set);
    [LibraryImport(Lib)] public static partial int sigaddset(void* set, int signum);

    // Native exec (NativeExecLauncher): namespaces, signal masks around fork, container-rooted opens.
    public const int CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x2000000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000,
        CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
    public const int SIG_SETMASK = 2;
    public const long SYS_openat2 = 437;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    public const int O_PATH = 0x200000, O_DIRECTORY = 0x10000;
    public const ulong TIOCSPTLCK = 0x40045431, TIOCGPTN = 0x80045430, TIOCGPTPEER = 0x5441;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow { public ulong Flags; public ulong Mode; public ulong Resolve; }

    [LibraryImport(Lib, SetLastError = true)] public static partial int setns(int fd, int nsType);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint readlink(byte* path, byte* buffer, nuint size);
    [LibraryImport(Lib)] public static partial int pthread_sigmask(int how, void* set, void* oldSet);
    [LibraryImport(Lib)] public static partial int sigfillset(void* set);
    [LibraryImport(Lib, SetLastError = true)] public static partial long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    public static int Errno => Marshal.GetLastPInvokeError();
}
