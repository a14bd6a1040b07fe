using Berth.Oci.Native;

namespace Berth.Engine.Runtime.Mounts;

/// <summary>Whether something is mounted on a path in this mount namespace.</summary>
public static class MountPoints
{
    /// <summary>
    /// Asks statx (one syscall); kernels before 5.8 don't say, and then /proc/self/mountinfo is read — which costs
    /// milliseconds on a host with many mounts, at every container start.
    /// </summary>
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0) full = "/";
        return PosixFiles.IsMountRoot(full) ?? MountInfoLists(full);
    }

    private static bool MountInfoLists(string full)
    {
        if (!Path.Exists(full)) return false;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime - ext3 /dev/root rw": the fifth field is the mount point, octal-escaped.
            var fields = line.Split(' ', 6);
            if (fields.Length >= 5 && Unescape(fields[4]) == full) return true;
        }
        return false;
    }

    /// <summary>mountinfo's octal escapes of space, tab, newline and backslash, undone.</summary>
    internal static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
             .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
