using System.Text;

namespace Berth.Shim.Runtime;

/// <summary>
/// Reads the kernel's OOM-kill counter of the container's memory cgroup: cgroup v1
/// <c>memory/&lt;path&gt;/memory.oom_control</c> or v2 <c>&lt;path&gt;/memory.events</c>, field <c>oom_kill</c>.
/// Must run before <c>runc delete</c> removes the cgroup.
/// </summary>
internal static class OomDetector
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    public static bool WasOomKilled(string cgroupsPath, string root = CgroupRoot)
    {
        string relative = CgroupDirectory(cgroupsPath);
        if (relative.Length == 0) return false;
        return OomKills(Path.Join(root, "memory", relative, "memory.oom_control")) is > 0
            || OomKills(Path.Join(root, relative, "memory.events")) is > 0;
    }

    /// <summary>The cgroup directory below a hierarchy root; systemd-style "slice:prefix:name" maps to slice/prefix-name.scope.</summary>
    internal static string CgroupDirectory(string cgroupsPath)
    {
        string[] parts = cgroupsPath.Split(':');
        if (parts.Length == 3) return Path.Join(parts[0], $"{parts[1]}-{parts[2]}.scope");
        return cgroupsPath.TrimStart('/');
    }

    /// <summary>The oom_kill value of a cgroup file, or null when the file or field is missing.</summary>
    internal static long? OomKills(string file)
    {
        string text;
        try
        {
            text = Encoding.ASCII.GetString(Native.Fd.ReadFile(file));
        }
        catch (Exception e) when (e is Native.UnixError or InvalidDataException)
        {
            return null;
        }
        return ParseOomKills(text);
    }

    internal static long? ParseOomKills(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == "oom_kill" && long.TryParse(fields[1], out long n)) return n;
        }
        return null;
    }
}
