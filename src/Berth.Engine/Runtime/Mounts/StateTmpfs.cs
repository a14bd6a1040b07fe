using System.Runtime.InteropServices;

namespace Berth.Engine.Runtime.Mounts;

/// <summary>
/// The exec root's state directories (bundles with their shim files, runc's state) on a tmpfs. That state must not
/// outlive the host, and each container start and removal creates and deletes some fifteen small files there: on a
/// host whose /run is a disk filesystem (these machines: ext4 without a journal, where creating a file shortly after
/// deletions costs up to a millisecond) that was several milliseconds of every start. Where the directory is on a
/// tmpfs already (/run on most hosts, or mounted by an earlier berthd) nothing is done; a directory that holds state
/// (containers started by a berthd that kept it on disk) is left as it is, as hiding it would orphan them.
/// </summary>
public static partial class StateTmpfs
{
    public enum Outcome { AlreadyTmpfs, Mounted, KeptOnDisk, Failed }

    private const long TmpfsMagic = 0x01021994;

    /// <summary>Makes <paramref name="directory"/> (created if missing) a private tmpfs unless it is one or holds state.</summary>
    public static Outcome Ensure(string directory, out string detail)
    {
        Directory.CreateDirectory(directory);
        detail = "";
        if (IsTmpfs(directory)) return Outcome.AlreadyTmpfs;
        if (Directory.EnumerateFileSystemEntries(directory).Any()) return Outcome.KeptOnDisk;
        // Private: the containers' root mounts made below need not propagate into every container's mount namespace.
        if (Syscalls.Mount("tmpfs", directory, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV, "mode=0700") != 0 ||
            Syscalls.Mount("", directory, "", Syscalls.MS_PRIVATE, null) != 0)
        {
            detail = Marshal.GetLastPInvokeErrorMessage();
            return Outcome.Failed;
        }
        return Outcome.Mounted;
    }

    private static unsafe bool IsTmpfs(string directory)
    {
        // struct statfs starts with f_type (a long on 64-bit Linux); 120 bytes in all, a generous buffer here.
        long* buffer = stackalloc long[32];
        return StatFs(directory, buffer) == 0 && buffer[0] == TmpfsMagic;
    }

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatFs(string path, long* buffer);
}
