using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

public static partial class OciSpecBuilder
{
    /// <summary>The CFS period Docker uses to turn --cpus into a quota.</summary>
    public const ulong CpuPeriodForNanoCpus = 100_000;

    private const long MinimumMemory = 6 * 1024 * 1024;

    private static LinuxResources BuildResources(ContainerRunSpec spec, HostLimits host, List<LinuxDeviceCgroup> deviceRules) => new()
    {
        Devices = deviceRules,
        Memory = BuildMemory(spec, host),
        Cpu = BuildCpu(spec),
        Pids = spec.PidsLimit is > 0 and var limit ? new LinuxPids { Limit = limit } : null,
    };

    /// <summary>Docker's checks (with its messages) and its default of swap = twice the memory limit.</summary>
    private static LinuxMemory BuildMemory(ContainerRunSpec spec, HostLimits host)
    {
        if (spec.Memory > 0 && spec.Memory < MinimumMemory)
            throw BerthException.Invalid("Minimum memory limit allowed is 6MB");
        if (spec.MemorySwap > 0 && spec.Memory <= 0)
            throw BerthException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        if (spec.MemorySwap > 0 && spec.MemorySwap < spec.Memory)
            throw BerthException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (spec.Memory > 0 && spec.MemoryReservation > spec.Memory)
            throw BerthException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");

        long? swap = null;
        if (host.SwapLimitSupported)
        {
            if (spec.MemorySwap != 0) swap = spec.MemorySwap;
            else if (spec.Memory > 0) swap = spec.Memory * 2;
        }
        return new LinuxMemory
        {
            Limit = spec.Memory > 0 ? spec.Memory : null,
            Reservation = spec.MemoryReservation > 0 ? spec.MemoryReservation : null,
            Swap = swap,
            // cgroup v2 has no switch for the OOM killer; Docker writes false there too.
            DisableOOMKiller = !host.CgroupV2 && spec.OomKillDisable == true,
        };
    }

    private static LinuxCpu? BuildCpu(ContainerRunSpec spec)
    {
        if (spec.NanoCpus > 0 && spec.CpuPeriod > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (spec.NanoCpus > 0 && spec.CpuQuota > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (spec.NanoCpus < 0) throw BerthException.Invalid("invalid value: NanoCPUs must be positive");

        ulong? period = spec.CpuPeriod > 0 ? (ulong)spec.CpuPeriod : null;
        long? quota = spec.CpuQuota != 0 ? spec.CpuQuota : null;
        if (spec.NanoCpus > 0)
        {
            period = CpuPeriodForNanoCpus;
            quota = (long)(spec.NanoCpus * (decimal)CpuPeriodForNanoCpus / 1_000_000_000m);
        }

        var cpu = new LinuxCpu
        {
            Shares = spec.CpuShares > 0 ? (ulong)spec.CpuShares : null,
            Period = period,
            Quota = quota,
            Cpus = spec.CpusetCpus.Length > 0 ? spec.CpusetCpus : null,
            Mems = spec.CpusetMems.Length > 0 ? spec.CpusetMems : null,
        };
        return cpu == new LinuxCpu() ? null : cpu;
    }
}
