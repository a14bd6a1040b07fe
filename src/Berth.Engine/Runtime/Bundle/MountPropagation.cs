using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// A bind with shared or slave propagation only works when the host mount holding its source propagates
/// that way; Docker refuses otherwise, with these messages, rather than silently not propagating.
/// </summary>
public static class MountPropagation
{
    public static void EnsureShared(string source, string mountInfo = "/proc/self/mountinfo")
    {
        var (mountPoint, optional) = MountOf(source, mountInfo);
        if (!optional.Any(o => o.StartsWith("shared:", StringComparison.Ordinal)))
            throw BerthException.Invalid($"path {source} is mounted on {mountPoint} but it is not a shared mount");
    }

    public static void EnsureSharedOrSlave(string source, string mountInfo = "/proc/self/mountinfo")
    {
        var (mountPoint, optional) = MountOf(source, mountInfo);
        if (!optional.Any(o => o.StartsWith("shared:", StringComparison.Ordinal) || o.StartsWith("master:", StringComparison.Ordinal)))
            throw BerthException.Invalid($"path {source} is mounted on {mountPoint} but it is not a shared or slave mount");
    }

    /// <summary>The mount point that holds <paramref name="source"/> and its optional fields ("shared:1", "master:2").</summary>
    private static (string MountPoint, string[] Optional) MountOf(string source, string mountInfo)
    {
        var mounts = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(mountInfo))
        {
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (fields.Length < 7 || separator < 6) continue;
            // Later lines are mounted on top of earlier ones at the same point, so they win.
            mounts[MountPoints.Unescape(fields[4])] = fields[6..separator];
        }

        string path = Path.GetFullPath(source);
        while (true)
        {
            if (mounts.TryGetValue(path, out var optional)) return (path, optional);
            string? parent = Path.GetDirectoryName(path);
            if (parent is null) return ("/", []);
            path = parent;
        }
    }
}
