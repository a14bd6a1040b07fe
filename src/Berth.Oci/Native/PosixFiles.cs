using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using System.Text;

namespace Berth.Oci.Native;

/// <summary>
/// File operations on paths that never follow a symlink in the last component: what tar extraction and
/// layer diffing need, and what System.IO cannot do (devices, ownership, xattrs, times of a link itself).
/// Failures throw <see cref="PosixException"/> naming the call and the path.
/// </summary>
public static class PosixFiles
{
    public static uint EffectiveUserId => LibC.geteuid();

    /// <summary>lstat; null when the path (or one of its parents) does not exist.</summary>
    public static FileStatus? TryLstat(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) == 0)
            return FileStatus.FromStatx(buffer);
        var error = PosixException.FromLastError("lstat", path);
        if (error.Errno is LibC.ENOENT or LibC.ENOTDIR) return null;
        throw error;
    }

    /// <summary>
    /// Whether <paramref name="path"/> (not followed if a symlink) is the root of a mount, as statx reports it; null
    /// when the path does not exist or the kernel does not say (STATX_ATTR_MOUNT_ROOT came with Linux 5.8).
    /// </summary>
    public static bool? IsMountRoot(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0) return null;
        ulong attributes = MemoryMarshal.Read<ulong>(buffer[8..]);
        ulong known = MemoryMarshal.Read<ulong>(buffer[56..]);
        return (known & LibC.StatxAttrMountRoot) == 0 ? null : (attributes & LibC.StatxAttrMountRoot) != 0;
    }

    public static FileStatus Lstat(string path) =>
        TryLstat(path) ?? throw new PosixException(LibC.ENOENT, $"lstat {path}: no such file or directory");

    /// <summary>fstat of an open file; <paramref name="path"/> only names it in errors.</summary>
    public static FileStatus Fstat(SafeHandle handle, string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(handle, "", LibC.AtEmptyPath, LibC.StatxBasicStats, buffer) != 0)
            throw PosixException.FromLastError("fstat", path);
        return FileStatus.FromStatx(buffer);
    }

    /// <summary>
    /// Opens a regular file for reading without following a symlink in the last component, and without blocking
    /// if it turned into a fifo; throws if what was opened is not the file <paramref name="expected"/> describes
    /// (it was replaced since it was listed).
    /// </summary>
    public static FileStream OpenReadNoFollow(string path, FileStatus expected)
    {
        int fd = LibC.open(path, LibC.ORdOnly | LibC.ONoFollow | LibC.ONonBlock | LibC.OCloExec, 0);
        if (fd < 0) throw PosixException.FromLastError("open", path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var actual = Fstat(handle, path);
            if (actual.Kind != FileKind.Regular || actual.Inode != expected.Inode
                || actual.DeviceMajor != expected.DeviceMajor || actual.DeviceMinor != expected.DeviceMinor)
                throw new PosixException(LibC.ESTALE, $"open {path}: replaced while being read");
            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>mknod for character and block devices and fifos.</summary>
    public static void MakeNode(string path, FileKind kind, int permissions, uint major = 0, uint minor = 0)
    {
        if (kind is not (FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "mknod makes only devices and fifos");
        if (LibC.mknod(path, (uint)kind | (uint)(permissions & 0xFFF), MakeDevice(major, minor)) != 0)
            throw PosixException.FromLastError("mknod", path);
    }

    public static void ChangeOwner(string path, uint uid, uint gid)
    {
        if (LibC.lchown(path, uid, gid) != 0) throw PosixException.FromLastError("lchown", path);
    }

    /// <summary>chmod with all twelve permission bits (setuid, setgid, sticky). Follows symlinks: never call it on one.</summary>
    public static void ChangeMode(string path, int permissions)
    {
        if (LibC.chmod(path, (uint)(permissions & 0xFFF)) != 0) throw PosixException.FromLastError("chmod", path);
    }

    public static void CreateSymlink(string target, string linkPath)
    {
        if (LibC.symlink(target, linkPath) != 0) throw PosixException.FromLastError("symlink", linkPath);
    }

    /// <summary>link(2) without following a symlink at <paramref name="existing"/>: the new name shares its inode.</summary>
    public static void CreateHardLink(string existing, string newPath)
    {
        if (LibC.linkat(LibC.AtFdCwd, existing, LibC.AtFdCwd, newPath, 0) != 0)
            throw PosixException.FromLastError("link " + existing, newPath);
    }

    /// <summary>Sets access and modification time of the path itself (a symlink's own times, not its target's).</summary>
    public static void SetTimes(string path, long seconds, uint nanoseconds = 0)
    {
        ReadOnlySpan<long> times = [seconds, nanoseconds, seconds, nanoseconds];
        if (LibC.utimensat(LibC.AtFdCwd, path, times, LibC.AtSymlinkNoFollow) != 0)
            throw PosixException.FromLastError("utimensat", path);
    }

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        if (LibC.lsetxattr(path, name, value, (nuint)value.Length, 0) != 0)
            throw PosixException.FromLastError($"lsetxattr {name}", path);
    }

    /// <summary>The value of one xattr of the path itself; null when it has none of that name.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            nint size = LibC.lgetxattr(path, name, Span<byte>.Empty, 0);
            if (size < 0)
            {
                var error = PosixException.FromLastError($"lgetxattr {name}", path);
                if (error.Errno is LibC.ENODATA or LibC.EOPNOTSUPP) return null;
                throw error;
            }
            var value = new byte[size];
            nint read = LibC.lgetxattr(path, name, value, (nuint)value.Length);
            if (read >= 0) return read == size ? value : value[..(int)read];
            // ERANGE: the value grew between the two calls; ask again.
            if (Marshal.GetLastPInvokeError() != LibC.ERANGE)
                throw PosixException.FromLastError($"lgetxattr {name}", path);
        }
        throw new PosixException(LibC.ERANGE, $"lgetxattr {name} {path}: value keeps changing size");
    }

    /// <summary>The names of all xattrs of the path itself (empty when the file system has none).</summary>
    public static IReadOnlyList<string> ListXattrs(string path)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            nint size = LibC.llistxattr(path, Span<byte>.Empty, 0);
            if (size < 0)
            {
                var error = PosixException.FromLastError("llistxattr", path);
                if (error.Errno == LibC.EOPNOTSUPP) return [];
                throw error;
            }
            if (size == 0) return [];
            var list = new byte[size];
            nint read = LibC.llistxattr(path, list, (nuint)list.Length);
            if (read >= 0) return SplitNames(list.AsSpan(0, (int)read));
            if (Marshal.GetLastPInvokeError() != LibC.ERANGE)
                throw PosixException.FromLastError("llistxattr", path);
        }
        throw new PosixException(LibC.ERANGE, $"llistxattr {path}: list keeps changing size");
    }

    /// <summary>The target of a symlink, as stored.</summary>
    public static string ReadLink(string path)
    {
        var buffer = new byte[4096];
        nint length = LibC.readlink(path, buffer, (nuint)buffer.Length);
        if (length < 0) throw PosixException.FromLastError("readlink", path);
        return Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    // glibc's gnu_dev_makedev: 12 bits of major and 8 of minor low, the rest above.
    private static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfff) << 8) | ((ulong)(major & 0xfffff000) << 32) |
        (minor & 0xffu) | ((ulong)(minor & 0xffffff00) << 12);

    private static List<string> SplitNames(ReadOnlySpan<byte> list)
    {
        var names = new List<string>();
        while (!list.IsEmpty)
        {
            int end = list.IndexOf((byte)0);
            if (end < 0) end = list.Length;
            if (end > 0) names.Add(Encoding.UTF8.GetString(list[..end]));
            list = end < list.Length ? list[(end + 1)..] : [];
        }
        return names;
    }
}
