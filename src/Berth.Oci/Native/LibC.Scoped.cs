using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Oci.Native;

/// <summary>
/// The *at calls and openat2(2), which work relative to an open directory: what lets the daemon act inside a
/// container's filesystem without ever resolving a path in its own.
/// </summary>
internal static partial class LibC
{
    public const int OWrOnly = 0x1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int OPath = 0x200000;
    public const int AtRemoveDir = 0x200;

    // openat2's resolve flags: resolve as if dirfd were the root, and never through /proc's magic links.
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveInRoot = 0x10;

    public const int ELOOP = 40;
    public const int EXDEV = 18;
    public const int EISDIR = 21;
    public const int ENOTEMPTY = 39;

    // O_DIRECTORY, like O_NOFOLLOW, differs on arm.
    public static int ODirectory => RuntimeInformation.ProcessArchitecture
        is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    // The same number on every architecture (new syscalls share one table since 5.1).
    private const long SysOpenat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_openat2(long number, SafeHandle dirfd, string path, ref OpenHow how, nuint size);

    public static int openat2(SafeHandle dirfd, string path, ref OpenHow how) =>
        (int)syscall_openat2(SysOpenat2, dirfd, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(SafeHandle dirfd, string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(SafeHandle dirfd, string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, SafeHandle newDirFd, string linkPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(SafeHandle oldDirFd, string oldPath, SafeHandle newDirFd, string newPath, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(SafeHandle dirfd, string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(SafeHandle dirfd, string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(SafeHandle dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int utimensat(SafeHandle dirfd, string path, ReadOnlySpan<long> times, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(SafeHandle dirfd, string path, Span<byte> buffer, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchown(SafeHandle fd, uint uid, uint gid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchmod(SafeHandle fd, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int futimens(SafeHandle fd, ReadOnlySpan<long> times);

    public static SafeFileHandle Handle(int fd) => new(fd, ownsHandle: true);
}
