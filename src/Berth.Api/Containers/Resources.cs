using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// Docker's container.Resources: inlined into HostConfig and the body of POST /containers/{id}/update.
/// Pointer fields in Go (MemorySwappiness, OomKillDisable, PidsLimit) are nullable and emitted as null.
/// </summary>
public class Resources
{
    public long CpuShares { get; set; }

    public long Memory { get; set; }

    public long NanoCpus { get; set; }

    public string CgroupParent { get; set; } = "";

    public int BlkioWeight { get; set; }

    public List<WeightDevice>? BlkioWeightDevice { get; set; } = [];

    public List<ThrottleDevice>? BlkioDeviceReadBps { get; set; } = [];

    public List<ThrottleDevice>? BlkioDeviceWriteBps { get; set; } = [];

    public List<ThrottleDevice>? BlkioDeviceReadIOps { get; set; } = [];

    public List<ThrottleDevice>? BlkioDeviceWriteIOps { get; set; } = [];

    public long CpuPeriod { get; set; }

    public long CpuQuota { get; set; }

    public long CpuRealtimePeriod { get; set; }

    public long CpuRealtimeRuntime { get; set; }

    public string CpusetCpus { get; set; } = "";

    public string CpusetMems { get; set; } = "";

    public List<DeviceMapping>? Devices { get; set; } = [];

    public List<string>? DeviceCgroupRules { get; set; }

    public List<DeviceRequest>? DeviceRequests { get; set; }

    /// <summary>Deprecated (cgroup v1 only, removed from the API in 1.42); accepted and reported only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long KernelMemory { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long KernelMemoryTCP { get; set; }

    public long MemoryReservation { get; set; }

    public long MemorySwap { get; set; }

    /// <summary>0-100, or null (the CLI sends -1) for the default.</summary>
    public long? MemorySwappiness { get; set; }

    public bool? OomKillDisable { get; set; }

    /// <summary>null or 0 = unlimited, -1 = unlimited.</summary>
    public long? PidsLimit { get; set; }

    public List<Ulimit>? Ulimits { get; set; } = [];

    public long CpuCount { get; set; }

    public long CpuPercent { get; set; }

    public long IOMaximumIOps { get; set; }

    public long IOMaximumBandwidth { get; set; }
}

public sealed class WeightDevice
{
    public string Path { get; set; } = "";

    public int Weight { get; set; }
}

public sealed class ThrottleDevice
{
    public string Path { get; set; } = "";

    public long Rate { get; set; }
}

public sealed class DeviceMapping
{
    public string PathOnHost { get; set; } = "";

    public string PathInContainer { get; set; } = "";

    public string CgroupPermissions { get; set; } = "";
}

public sealed class DeviceRequest
{
    public string Driver { get; set; } = "";

    public int Count { get; set; }

    public List<string>? DeviceIDs { get; set; }

    public List<List<string>>? Capabilities { get; set; }

    public Dictionary<string, string>? Options { get; set; }
}

public sealed class Ulimit
{
    public string Name { get; set; } = "";

    public long Hard { get; set; }

    public long Soft { get; set; }
}
