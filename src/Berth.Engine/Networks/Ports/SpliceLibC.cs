using System.Runtime.InteropServices;

namespace Berth.Engine.Networks.Ports;

/// <summary>splice(2) and pipes: moving socket data through a kernel pipe instead of user-space buffers.</summary>
internal static unsafe partial class SpliceLibC
{
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const uint SPLICE_F_MOVE = 1;
    public const uint SPLICE_F_NONBLOCK = 2;
    public const int F_SETPIPE_SZ = 1031;
    public const int EINTR = 4;
    public const int EAGAIN = 11;

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
