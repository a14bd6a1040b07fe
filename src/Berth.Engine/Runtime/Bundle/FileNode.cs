using System.Runtime.InteropServices;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>What stat(2) says about a file: its type, permission bits, owner and (for device nodes) device numbers.</summary>
public sealed partial record FileNode(FileNodeType Type, uint Permissions, uint Uid, uint Gid, long Major, long Minor)
{
    /// <summary>Null when the path does not exist; symlinks are followed only when asked.</summary>
    public static FileNode? Stat(string path, bool followSymlinks)
    {
        int flags = followSymlinks ? 0 : AtSymlinkNoFollow;
        if (Native.Statx(AtFdCwd, path, flags, StatxBasicStats, out var buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR) return null;
            throw new IOException($"stat {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var type = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileNodeType.Regular,
            0x4000 => FileNodeType.Directory,
            0xA000 => FileNodeType.Symlink,
            0x2000 => FileNodeType.CharDevice,
            0x6000 => FileNodeType.BlockDevice,
            0x1000 => FileNodeType.Fifo,
            _ => FileNodeType.Other,
        };
        return new FileNode(type, (uint)buffer.Mode & 0xFFF, buffer.Uid, buffer.Gid, buffer.RdevMajor, buffer.RdevMinor);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>struct statx, whose layout is the same on every architecture (unlike struct stat).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(128)] public uint RdevMajor;
        [FieldOffset(132)] public uint RdevMinor;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);
    }
}

public enum FileNodeType { Regular, Directory, Symlink, CharDevice, BlockDevice, Fifo, Other }
