using System.Runtime.InteropServices;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Mounts;

/// <summary>A container's root: overlayfs with the image layers as lower dirs and the container's own upper/work dirs.</summary>
public static class OverlayMount
{
    /// <summary>Mounts the overlay unless something is already mounted there (a daemon restarted mid-life).</summary>
    public static void Mount(IReadOnlyList<string> lowerDirsTopFirst, string upper, string work, string target, bool readOnly = false)
    {
        Directory.CreateDirectory(target);
        if (IsMountPoint(target)) return;
        string data = $"lowerdir={string.Join(':', lowerDirsTopFirst)}";
        if (!readOnly)
        {
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            data += $",upperdir={upper},workdir={work}";
        }
        data += ",index=off";
        if (data.Length >= 4096)
            throw BerthException.Internal($"overlay mount of {target}: {lowerDirsTopFirst.Count} layers exceed the kernel's mount option size");
        if (Syscalls.Mount("overlay", target, "overlay", readOnly ? Syscalls.MS_RDONLY : 0, data) != 0)
            throw BerthException.Internal($"overlay mount of {target}: {Marshal.GetLastPInvokeErrorMessage()}");
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

    /// <summary>True when <paramref name="path"/> is the target of a mount in this namespace (from /proc/self/mountinfo).</summary>
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint ...; mount points escape spaces as \040.
            int start = Nth(line, ' ', 4);
            if (start < 0) continue;
            int end = line.IndexOf(' ', start + 1);
            var mountPoint = line.AsSpan(start + 1, (end < 0 ? line.Length : end) - start - 1);
            if (mountPoint.SequenceEqual(full) || (mountPoint.Contains('\\') && mountPoint.ToString().Replace("\\040", " ") == full)) return true;
        }
        return false;
    }

    private static int Nth(string text, char c, int n)
    {
        int index = -1;
        for (int i = 0; i < n; i++)
        {
            index = text.IndexOf(c, index + 1);
            if (index < 0) return -1;
        }
        return index;
    }
}
