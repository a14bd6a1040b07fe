using Berth.Engine.Runtime.Mounts;

namespace Berth.Engine.Runtime;

/// <summary>Where this process's own cgroup is, as <see cref="CgroupMigrationWarmer"/> needs it.</summary>
public static class OwnCgroup
{
    /// <summary>This process's cgroup.procs, or null when its cgroup is not mounted where this process sees it.</summary>
    public static string? ProcsFile()
    {
        try
        {
            return ProcsFile(File.ReadAllText("/proc/self/cgroup"), File.ReadAllText("/proc/self/mountinfo"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The cgroup.procs of the process whose /proc/PID/cgroup is <paramref name="procCgroup"/>, found through the
    /// <paramref name="mountinfo"/> of its mount namespace: in the v2 hierarchy when one is mounted, else in the first
    /// mounted v1 hierarchy. A cgroup outside the part of its hierarchy that is mounted (another cgroup namespace's
    /// view) does not count.
    /// </summary>
    public static string? ProcsFile(string procCgroup, string mountinfo)
    {
        var mounts = new List<(string Type, string[] Options, string Root, string Point)>();
        foreach (string line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu": root, mount point, then after the
            // separator the type, the source and the super options.
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (separator < 5 || separator + 3 >= fields.Length) continue;
            string type = fields[separator + 1];
            if (type is "cgroup" or "cgroup2")
                mounts.Add((type, fields[separator + 3].Split(','), MountPoints.Unescape(fields[3]), MountPoints.Unescape(fields[4])));
        }
        string? firstV1 = null;
        foreach (string line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            bool unified = parts[0] == "0" && parts[1].Length == 0;
            foreach (var mount in mounts)
            {
                bool matches = unified
                    ? mount.Type == "cgroup2"
                    : mount.Type == "cgroup" && parts[1].Split(',').All(controller => mount.Options.Contains(controller));
                if (!matches || !Within(parts[2], mount.Root, out string relative)) continue;
                string file = Path.Join(mount.Point, relative, "cgroup.procs");
                if (unified) return file;
                firstV1 ??= file;
                break;
            }
        }
        return firstV1;
    }

    private static bool Within(string path, string root, out string relative)
    {
        relative = "";
        if (root == "/") relative = path.TrimStart('/');
        else if (path == root) relative = "";
        else if (path.StartsWith(root + "/", StringComparison.Ordinal)) relative = path[(root.Length + 1)..];
        else return false;
        return true;
    }
}
