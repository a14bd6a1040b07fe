using System.Runtime.InteropServices;

namespace Berth.Engine.Metadata;

/// <summary>
/// Asks ext2/3/4 to spread a directory's subdirectories across block groups, as it does for those of the root
/// (the "top directory" flag, chattr +T, which the Orlov allocator reads). Without it every container's (or layer's)
/// directory lands in the group of its parent, and on an ext4 without a journal (these machines) each new file then
/// looks past every inode that other containers or layers freed in that group in the last seconds: with containers
/// created and removed in bursts that was about a millisecond per file and per directory, several times per start.
/// Other filesystems don't have the flag; nothing happens there.
/// </summary>
public static partial class SpreadSubdirectories
{
    private const int TopDirFlag = 0x00020000; // FS_TOPDIR_FL
    private const ulong GetFlags = 0x80086601; // FS_IOC_GETFLAGS
    private const ulong SetFlags = 0x40086602; // FS_IOC_SETFLAGS
    private const int OpenDirectory = 0x10000 | 0x80000; // O_RDONLY | O_DIRECTORY | O_CLOEXEC

    /// <summary>Sets the flag on <paramref name="directory"/>; false where the filesystem has no such flag or refuses it.</summary>
    public static bool Request(string directory)
    {
        int fd = Open(directory, OpenDirectory);
        if (fd < 0) return false;
        try
        {
            int flags = 0;
            if (Ioctl(fd, GetFlags, ref flags) != 0) return false;
            if ((flags & TopDirFlag) != 0) return true;
            flags |= TopDirFlag;
            return Ioctl(fd, SetFlags, ref flags) == 0;
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
