using System.Runtime.InteropServices;

namespace Berth.Oci.Native;

/// <summary>
/// The libc calls that .NET's file APIs do not offer: they either follow symlinks (chown, utimes) or are absent
/// (mknod, xattrs, statx). Every one here acts on the link itself, never on what it points to.
/// </summary>
internal static partial class LibC
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;
    public const ulong StatxAttrMountRoot = 0x2000;

    public const int ORdOnly = 0;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;

    // O_NOFOLLOW is one of the few open flags whose value differs between architectures.
    public static int ONoFollow => RuntimeInformation.ProcessArchitecture
        is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    public const int ENOENT = 2;
    public const int ENOTDIR = 20;
    public const int EPERM = 1;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENAMETOOLONG = 36;
    public const int ENODATA = 61;
    public const int ERANGE = 34;
    public const int EOPNOTSUPP = 95;
    public const int ESTALE = 116;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, Span<byte> statxBuffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(SafeHandle dirfd, string path, int flags, uint mask, Span<byte> statxBuffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, uint uid, uint gid);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkPath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int utimensat(int dirfd, string path, ReadOnlySpan<long> times, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lgetxattr(string path, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llistxattr(string path, Span<byte> list, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlink(string path, Span<byte> buffer, nuint size);

    [LibraryImport("libc")]
    public static partial uint geteuid();
}
