using System.Globalization;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>What the host offers that an update is checked against (Docker's sysinfo).</summary>
public sealed record UpdateHostInfo(int Cpus, string AvailableCpus, string AvailableMems, bool BlkioWeightSupported, bool SwapLimitSupported)
{
    public static UpdateHostInfo Read(bool cgroupV2, bool swapLimitSupported)
    {
        string Text(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        string cpus = cgroupV2 ? Text("/sys/fs/cgroup/cpuset.cpus.effective") : Text("/sys/fs/cgroup/cpuset/cpuset.cpus");
        string mems = cgroupV2 ? Text("/sys/fs/cgroup/cpuset.mems.effective") : Text("/sys/fs/cgroup/cpuset/cpuset.mems");
        if (cpus.Length == 0) cpus = Text("/sys/devices/system/cpu/online");
        if (mems.Length == 0) mems = "0";
        bool blkioWeight = cgroupV2
            ? Text("/sys/fs/cgroup/cgroup.controllers").Split(' ').Contains("io")
            : File.Exists("/sys/fs/cgroup/blkio/blkio.weight");
        return new UpdateHostInfo(Environment.ProcessorCount, cpus, mems, blkioWeight, swapLimitSupported);
    }
}

/// <summary>
/// POST /containers/{id}/update as Docker does it: the request is checked on its own (400, Docker's messages), merged
/// into the container's HostConfig field by field (only what the request sets; conflicts with what is already set are
/// 409 "Cannot update container …"), and only the fields it sets are handed to <c>runc update</c>.
/// </summary>
public static class ResourceUpdate
{
    public const long MinimumMemory = 6 * 1024 * 1024;
    private const long CpuPeriodForNanoCpus = 100_000;

    /// <summary>Docker's verifyContainerSettings for an update; returns its warnings and may clear what the host cannot do.</summary>
    public static List<string> Validate(ContainerUpdateRequest request, UpdateHostInfo host)
    {
        var warnings = new List<string>();
        if (request.Memory != 0 && request.Memory < MinimumMemory)
            throw BerthException.Invalid("Minimum memory limit allowed is 6MB");
        if (request.Memory > 0 && request.MemorySwap > 0 && request.MemorySwap < request.Memory)
            throw BerthException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (request.MemoryReservation > 0 && request.MemoryReservation < MinimumMemory)
            throw BerthException.Invalid("Minimum memory reservation allowed is 6MB");
        if (request.Memory > 0 && request.MemoryReservation > 0 && request.Memory < request.MemoryReservation)
            throw BerthException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        if (request.MemorySwap != 0 && !host.SwapLimitSupported)
        {
            warnings.Add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            request.MemorySwap = 0;
        }
        if (request.NanoCpus > 0 && request.CpuPeriod > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (request.NanoCpus > 0 && request.CpuQuota > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (request.NanoCpus < 0 || request.NanoCpus > host.Cpus * 1_000_000_000L)
            throw BerthException.Invalid($"Range of CPUs is from 0.01 to {host.Cpus}.00, as there are only {host.Cpus} CPUs available");
        if (request.CpuPeriod != 0 && (request.CpuPeriod < 1000 || request.CpuPeriod > 1_000_000))
            throw BerthException.Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (request.CpuQuota > 0 && request.CpuQuota < 1000)
            throw BerthException.Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        CheckCpuset(request.CpusetCpus, host.AvailableCpus, "cpus", "CPUs");
        CheckCpuset(request.CpusetMems, host.AvailableMems, "mems", "memory nodes");
        if (request.BlkioWeight > 0 && !host.BlkioWeightSupported)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            request.BlkioWeight = 0;
        }
        if (request.BlkioWeight > 0 && (request.BlkioWeight < 10 || request.BlkioWeight > 1000))
            throw BerthException.Invalid("Range of blkio weight is from 10 to 1000");
        if (request.RestartPolicy is { Name.Length: > 0 } policy)
        {
            if (policy.Name is not ("no" or "always" or "unless-stopped" or "on-failure"))
                throw BerthException.Invalid($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
            if (policy.Name != "on-failure" && policy.MaximumRetryCount > 0)
                throw BerthException.Invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'");
            if (policy.MaximumRetryCount < 0)
                throw BerthException.Invalid("invalid restart policy: maximum retry count cannot be negative");
        }
        return warnings;
    }

    /// <summary>
    /// Docker's UpdateContainer: copies every field the request sets into <paramref name="host"/>. Throws Conflict
    /// (Docker's text, prefixed "Cannot update container ID: ") when the request clashes with what is set.
    /// </summary>
    public static void Merge(string containerId, HostConfig host, ContainerUpdateRequest request, bool swapLimitSupported)
    {
        Exception Conflict(string message) => BerthException.Conflict($"Cannot update container {containerId}: {message}");
        if (request.NanoCpus > 0 && host.CpuPeriod > 0)
            throw Conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        if (request.NanoCpus > 0 && host.CpuQuota > 0)
            throw Conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        if (request.CpuPeriod > 0 && host.NanoCpus > 0)
            throw Conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        if (request.CpuQuota > 0 && host.NanoCpus > 0)
            throw Conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        if (request.RestartPolicy is { Name.Length: > 0 } policy && host.AutoRemove && policy.Name != "no")
            throw Conflict("Restart policy cannot be updated because AutoRemove is enabled for the container");

        // The swap limit a container runs with: Docker stores twice the memory at create when none was given.
        long currentSwap = host.MemorySwap == 0 && host.Memory > 0 && swapLimitSupported ? host.Memory * 2 : host.MemorySwap;
        if (request.Memory != 0 && request.Memory > currentSwap && currentSwap != -1 && request.MemorySwap == 0)
            throw Conflict("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");

        if (request.BlkioWeight != 0) host.BlkioWeight = request.BlkioWeight;
        if (request.CpuShares != 0) host.CpuShares = request.CpuShares;
        if (request.NanoCpus != 0) host.NanoCpus = request.NanoCpus;
        if (request.CpuPeriod != 0) host.CpuPeriod = request.CpuPeriod;
        if (request.CpuQuota != 0) host.CpuQuota = request.CpuQuota;
        if (request.CpusetCpus.Length > 0) host.CpusetCpus = request.CpusetCpus;
        if (request.CpusetMems.Length > 0) host.CpusetMems = request.CpusetMems;
        if (request.Memory != 0)
        {
            host.MemorySwap = currentSwap;
            host.Memory = request.Memory;
        }
        if (request.MemorySwap != 0) host.MemorySwap = request.MemorySwap;
        if (request.MemoryReservation != 0) host.MemoryReservation = request.MemoryReservation;
        if (request.KernelMemory != 0) host.KernelMemory = request.KernelMemory;
        if (request.CpuRealtimePeriod != 0) host.CpuRealtimePeriod = request.CpuRealtimePeriod;
        if (request.CpuRealtimeRuntime != 0) host.CpuRealtimeRuntime = request.CpuRealtimeRuntime;
        // Unlike create (null), dockerd's update keeps "unlimited" as 0.
        if (request.PidsLimit is { } pids) host.PidsLimit = Math.Max(pids, 0);
        if (request.RestartPolicy is { Name.Length: > 0 } restart)
            host.RestartPolicy = new RestartPolicy { Name = restart.Name, MaximumRetryCount = restart.MaximumRetryCount };
    }

    /// <summary>The <c>runc update</c> options for what the request sets (Docker's toContainerdResources); empty when nothing live changes.</summary>
    public static List<string> RuncOptions(ContainerUpdateRequest request)
    {
        var options = new List<string>();
        void Add(string flag, long value) => options.AddRange([flag, value.ToString(CultureInfo.InvariantCulture)]);
        if (request.Memory != 0) Add("--memory", request.Memory);
        if (request.MemorySwap != 0) Add("--memory-swap", request.MemorySwap);
        if (request.MemoryReservation != 0) Add("--memory-reservation", request.MemoryReservation);
        if (request.CpuShares != 0) Add("--cpu-share", request.CpuShares);
        if (request.NanoCpus > 0)
        {
            Add("--cpu-period", CpuPeriodForNanoCpus);
            Add("--cpu-quota", request.NanoCpus * CpuPeriodForNanoCpus / 1_000_000_000L);
        }
        if (request.CpuPeriod != 0) Add("--cpu-period", request.CpuPeriod);
        if (request.CpuQuota != 0) Add("--cpu-quota", request.CpuQuota);
        if (request.CpuRealtimePeriod != 0) Add("--cpu-rt-period", request.CpuRealtimePeriod);
        if (request.CpuRealtimeRuntime != 0) Add("--cpu-rt-runtime", request.CpuRealtimeRuntime);
        if (request.CpusetCpus.Length > 0) options.AddRange(["--cpuset-cpus", request.CpusetCpus]);
        if (request.CpusetMems.Length > 0) options.AddRange(["--cpuset-mems", request.CpusetMems]);
        if (request.BlkioWeight != 0) Add("--blkio-weight", request.BlkioWeight);
        // 0 and negative values unset the limit; runc wants -1 for that.
        if (request.PidsLimit is { } pids) Add("--pids-limit", pids > 0 ? pids : -1);
        return options;
    }

    private static void CheckCpuset(string requested, string available, string kind, string noun)
    {
        if (requested.Length == 0) return;
        var wanted = ParseList(requested) ?? throw BerthException.Invalid($"Invalid value {requested} for cpuset {kind}");
        var offered = ParseList(available);
        if (offered is not null && !wanted.IsSubsetOf(offered))
            throw BerthException.Invalid($"Requested {noun} are not available - requested {requested}, available: {available}");
    }

    /// <summary>A kernel list ("0-3,5"), or null when malformed.</summary>
    public static HashSet<int>? ParseList(string text)
    {
        var set = new HashSet<int>();
        foreach (var part in text.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2
                || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)) return null;
            int last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)) return null;
            for (int i = first; i <= last; i++) set.Add(i);
        }
        return set;
    }
}
