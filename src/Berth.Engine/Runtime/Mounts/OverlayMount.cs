using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Mounts;

/// <summary>A container's root: overlayfs with the image layers as lower dirs and the container's own upper/work dirs.</summary>
public static class OverlayMount
{
    /// <summary>
    /// Mounts the overlay unless something is already mounted there (a daemon restarted mid-life).
    /// <paramref name="volatileUpper"/> is for a writable layer that is thrown away with its container (<c>--rm</c>):
    /// overlayfs then skips syncing the upper filesystem, which otherwise happens at every unmount (the whole upper
    /// filesystem, tens of milliseconds on a busy disk) and at every sync or fsync inside the container. Kernels without
    /// the option (before 5.10) get an ordinary mount.
    /// </summary>
    public static void Mount(IReadOnlyList<string> lowerDirsTopFirst, string upper, string work, string target, bool readOnly = false, bool volatileUpper = false)
    {
        Directory.CreateDirectory(target);
        if (MountPoints.IsMountPoint(target)) return;
        string data = $"lowerdir={string.Join(':', lowerDirsTopFirst)}";
        if (!readOnly)
        {
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            ForgetEarlierVolatileMount(work);
            data += $",upperdir={upper},workdir={work}";
        }
        data += ",index=off";
        if (data.Length >= MountOptionsLimit)
            throw BerthException.Internal($"overlay mount of {target}: {lowerDirsTopFirst.Count} layers exceed the kernel's mount option size");
        ulong flags = readOnly ? Syscalls.MS_RDONLY : 0;
        // volatile only saves the sync at unmount: a layer list that leaves no room for it mounts without it.
        if (volatileUpper && !readOnly && data.Length + VolatileOption.Length < MountOptionsLimit)
        {
            if (Syscalls.Mount("overlay", target, "overlay", flags, data + VolatileOption) == 0) return;
            if (Marshal.GetLastPInvokeError() != Syscalls.EINVAL)
                throw BerthException.Internal($"overlay mount of {target}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        if (Syscalls.Mount("overlay", target, "overlay", flags, data) != 0)
            throw BerthException.Internal($"overlay mount of {target}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private const string VolatileOption = ",volatile";

    /// <summary>The kernel copies mount options into one page, terminating zero included.</summary>
    private const int MountOptionsLimit = 4096;

    /// <summary>
    /// A volatile mount leaves <c>work/work/incompat/volatile</c> behind, and overlayfs refuses to mount that work dir
    /// again (its upper may lack writes that were never synced if the machine went down meanwhile). Only a writable layer
    /// meant to be thrown away is mounted volatile; should its container start again all the same (its removal cut short
    /// by a daemon crash), what the upper holds is what it has, so the marker goes and the layer mounts.
    /// </summary>
    private static void ForgetEarlierVolatileMount(string work)
    {
        string incompat = Path.Combine(work, "work", "incompat");
        if (Directory.Exists(incompat)) Directory.Delete(incompat, recursive: true);
    }

    /// <summary>
    /// Unmounts (lazily, so a process still holding a file can't block container removal), every mount stacked there;
    /// absent is fine. The kernel says when nothing is mounted there (EINVAL), which spares reading mountinfo.
    /// </summary>
    public static void Unmount(string target)
    {
        for (int stacked = 0; stacked < MaxStackedMounts; stacked++)
        {
            if (Syscalls.Umount2(target, Syscalls.MNT_DETACH) == 0) continue;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Syscalls.EINVAL or Syscalls.ENOENT) return;
            throw BerthException.Internal($"unmount {target}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        throw BerthException.Internal($"unmount {target}: still mounted after {MaxStackedMounts} unmounts");
    }

    private const int MaxStackedMounts = 64;
}
