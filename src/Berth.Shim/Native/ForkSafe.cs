using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>
/// The libc calls a forked child of the shim makes before execve. All are blittable, bound at link time (DirectPInvoke
/// of libc) and marked <see cref="SuppressGCTransitionAttribute"/>: the child never enters or leaves preemptive mode,
/// so it cannot wait for a garbage collection that no thread of the child will ever run. No SetLastError either (that
/// touches thread state): errno is read through <see cref="Errno"/>. fork itself is here too: the calling thread stays
/// in cooperative mode across it, so no collection starts while the address space is being copied.
/// </summary>
internal static unsafe partial class ForkSafe
{
    private const string Lib = "libc";

    [LibraryImport(Lib), SuppressGCTransition] public static partial int fork();
    [LibraryImport(Lib), SuppressGCTransition] public static partial void _exit(int status);
    [LibraryImport(Lib), SuppressGCTransition] private static partial int* __errno_location();
    [LibraryImport(Lib), SuppressGCTransition] public static partial nint write(int fd, void* buffer, nuint count);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int open(byte* path, int flags, int mode);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int close(int fd);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int dup2(int oldFd, int newFd);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int ioctl(int fd, ulong request, nint arg);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int setns(int fd, int nsType);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int setsid();
    [LibraryImport(Lib), SuppressGCTransition] public static partial int chdir(byte* path);
    [LibraryImport(Lib), SuppressGCTransition] public static partial uint umask(uint mask);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int setrlimit(int resource, ulong* limits);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int capset(void* header, void* data);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int faccessat(int dirFd, byte* path, int mode, int flags);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int execve(byte* path, byte** argv, byte** envp);
    [LibraryImport(Lib), SuppressGCTransition] public static partial nint signal(int signum, nint handler);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int sigprocmask(int how, byte* set, byte* oldSet);
    [LibraryImport(Lib), SuppressGCTransition] public static partial long syscall(long number, long arg1, long arg2, long arg3, long arg4);

    public static int Errno => *__errno_location();
}
