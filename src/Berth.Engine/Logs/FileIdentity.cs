using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// The inode of a path or of an open file: how a follower notices that the log it reads has been rotated away (the
/// shim renamed it and started a new file under the same name).
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100, AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(32)] public ulong Inode;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The inode now at <paramref name="path"/>, or null when nothing is there.</summary>
    public static ulong? Of(string path) => Statx(AtFdCwd, path, 0, StatxIno, out var buffer) == 0 ? buffer.Inode : null;

    /// <summary>The inode of an open file.</summary>
    public static ulong? Of(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxIno, out var buffer) == 0 ? buffer.Inode : null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
