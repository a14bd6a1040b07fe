namespace Berth.Engine.Volumes;

/// <summary>What /proc/self/mountinfo says: deleting a volume must never descend into a device or bind mounted on it.</summary>
internal static class MountInfo
{
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime - ext3 /dev/root rw": the fifth field is the mount point, octal-escaped.
            var fields = line.Split(' ', 6);
            if (fields.Length >= 5 && Unescape(fields[4]) == full) return true;
        }
        return false;
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
             .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
