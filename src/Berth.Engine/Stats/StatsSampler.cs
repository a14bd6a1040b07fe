using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>
/// Takes samples of containers on this host: knows the cgroup layout (v1 per-controller hierarchies or the v2 unified
/// one, detected at start), the host's memory and where a container's counters live.
/// </summary>
public sealed class StatsSampler
{
    /// <summary>USER_HZ: fixed at 100 by the kernel ABI, and the value Docker's collector assumes.</summary>
    public const ulong ClockTicks = 100;

    private readonly string _cgroupRoot;
    private readonly bool _cgroupV2;
    private readonly ulong _machineMemory;

    public StatsSampler(string cgroupRoot, bool cgroupV2, ulong machineMemory)
    {
        _cgroupRoot = cgroupRoot;
        _cgroupV2 = cgroupV2;
        _machineMemory = machineMemory;
    }

    public static StatsSampler ForHost() =>
        new("/sys/fs/cgroup", File.Exists("/sys/fs/cgroup/cgroup.controllers"), ReadMachineMemory(CgroupFiles.Read("/proc/meminfo")));

    /// <param name="cgroupsPath">The container's cgroup ("/berth/&lt;id&gt;").</param>
    /// <param name="pid">Its init process, whose network namespace is read; 0 to skip networks.</param>
    public StatsSample Sample(string cgroupsPath, int pid)
    {
        var metrics = _cgroupV2
            ? CgroupV2Stats.Read(Path.Join(_cgroupRoot, cgroupsPath), _machineMemory)
            : CgroupV1Stats.Read(_cgroupRoot, cgroupsPath, _machineMemory, ClockTicks);
        var (systemUsage, onlineCpus) = HostCpu.Read(ClockTicks);
        var networks = pid > 0 ? NetDev.Read(pid) : null;
        return new StatsSample
        {
            Read = DateTimeOffset.UtcNow,
            Cpu = metrics.Cpu with { SystemUsage = systemUsage, OnlineCpus = onlineCpus },
            Memory = metrics.Memory,
            Pids = metrics.Pids,
            Blkio = metrics.Blkio,
            Networks = networks is { Count: > 0 } ? networks : null,
        };
    }

    /// <summary>MemTotal of /proc/meminfo in bytes (0 when unknown).</summary>
    public static ulong ReadMachineMemory(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kib) ? kib * 1024 : 0;
        }
        return 0;
    }
}
