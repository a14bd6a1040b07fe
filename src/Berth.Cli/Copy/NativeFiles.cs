using System.Runtime.InteropServices;

namespace Berth.Cli.Copy;

/// <summary>The few file calls .NET has no API for: the file type of a path, hard links and special files.</summary>
internal static partial class NativeFiles
{
    public const uint TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Symlink = 0xA000, Socket = 0xC000;

    // struct stat on x86_64 and aarch64 Linux is at most 144 bytes; st_mode is a 32-bit field at offset 24 (x86_64) or 16 (aarch64).
    private static readonly int ModeOffset = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int stat(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lstat(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mknod(string path, uint mode, ulong device);

    /// <summary>The st_mode of <paramref name="path"/> (symlinks followed unless <paramref name="followLinks"/> is false), or null when nothing is there.</summary>
    public static uint? Mode(string path, bool followLinks)
    {
        var buffer = new byte[256];
        int result = followLinks ? stat(path, buffer) : lstat(path, buffer);
        return result == 0 ? BitConverter.ToUInt32(buffer, ModeOffset) : null;
    }

    public static void HardLink(string existing, string created)
    {
        if (link(existing, created) != 0) throw Failure("link", created);
    }

    public static void MakeNode(string path, uint mode, long major, long minor)
    {
        ulong device = ((ulong)major << 8) & 0xFFF00 | (ulong)minor & 0xFF | ((ulong)minor & ~0xFFUL) << 12 | ((ulong)major & ~0xFFFUL) << 32;
        if (mknod(path, mode, device) != 0) throw Failure("mknod", path);
    }

    private static IOException Failure(string call, string path) =>
        new($"{call} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
