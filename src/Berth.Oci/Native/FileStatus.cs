using System.Runtime.InteropServices;

namespace Berth.Oci.Native;

/// <summary>What lstat tells about a path (read through statx, whose layout, unlike struct stat's, is the same on every architecture).</summary>
public readonly record struct FileStatus(
    FileKind Kind,
    int Permissions,
    uint Uid,
    uint Gid,
    long Size,
    ulong Inode,
    uint NLink,
    uint DeviceMajor,
    uint DeviceMinor,
    uint RDevMajor,
    uint RDevMinor,
    long MTimeSeconds,
    uint MTimeNanoseconds)
{
    public bool IsDirectory => Kind == FileKind.Directory;
    public bool IsSymlink => Kind == FileKind.Symlink;

    /// <summary>An overlayfs whiteout: a character device with device number 0/0.</summary>
    public bool IsWhiteout => Kind == FileKind.CharDevice && RDevMajor == 0 && RDevMinor == 0;

    internal static FileStatus FromStatx(ReadOnlySpan<byte> b)
    {
        ushort mode = MemoryMarshal.Read<ushort>(b[28..]);
        return new FileStatus(
            Kind: (FileKind)(mode & 0xF000),
            Permissions: mode & 0xFFF,
            Uid: MemoryMarshal.Read<uint>(b[20..]),
            Gid: MemoryMarshal.Read<uint>(b[24..]),
            Size: MemoryMarshal.Read<long>(b[40..]),
            Inode: MemoryMarshal.Read<ulong>(b[32..]),
            NLink: MemoryMarshal.Read<uint>(b[16..]),
            DeviceMajor: MemoryMarshal.Read<uint>(b[136..]),
            DeviceMinor: MemoryMarshal.Read<uint>(b[140..]),
            RDevMajor: MemoryMarshal.Read<uint>(b[128..]),
            RDevMinor: MemoryMarshal.Read<uint>(b[132..]),
            MTimeSeconds: MemoryMarshal.Read<long>(b[112..]),
            MTimeNanoseconds: MemoryMarshal.Read<uint>(b[120..]));
    }
}
