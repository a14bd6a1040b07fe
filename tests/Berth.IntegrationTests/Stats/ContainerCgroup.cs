namespace Berth.IntegrationTests.Stats;

/// <summary>Reads a running container's cgroup files through /proc/&lt;pid&gt;/cgroup, on cgroup v1 and v2 hosts alike.</summary>
internal static class ContainerCgroup
{
    public static bool V2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <summary>The directory of <paramref name="v1Controller"/> (v1) or the unified directory (v2) of process <paramref name="pid"/>.</summary>
    public static string DirectoryOf(int pid, string v1Controller)
    {
        foreach (var line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (V2 && parts[0] == "0" && parts[1].Length == 0) return "/sys/fs/cgroup" + parts[2];
            if (!V2 && parts[1].Split(',').Contains(v1Controller)) return $"/sys/fs/cgroup/{v1Controller}{parts[2]}";
        }
        throw new InvalidOperationException($"process {pid} has no {v1Controller} cgroup");
    }

    public static string Read(int pid, string v1Controller, string v1File, string v2File) =>
        File.ReadAllText(Path.Join(DirectoryOf(pid, v1Controller), V2 ? v2File : v1File)).Trim();

    public static string MemoryLimit(int pid) => Read(pid, "memory", "memory.limit_in_bytes", "memory.max");

    public static string PidsMax(int pid) => Read(pid, "pids", "pids.max", "pids.max");

    /// <summary>The CFS quota in microseconds ("max" or -1 when unlimited).</summary>
    public static string CpuQuota(int pid) => V2
        ? Read(pid, "cpu", "", "cpu.max").Split(' ')[0]
        : Read(pid, "cpu", "cpu.cfs_quota_us", "");
}
