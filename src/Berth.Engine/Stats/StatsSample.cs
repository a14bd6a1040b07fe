namespace Berth.Engine.Stats;

/// <summary>
/// One reading of a running container's resource counters, in Docker's units (nanoseconds, bytes), taken from its
/// cgroup, its network namespace and the host's /proc/stat at <see cref="Read"/>.
/// </summary>
public sealed record StatsSample
{
    public required DateTimeOffset Read { get; init; }
    public required CpuSample Cpu { get; init; }
    public required MemorySample Memory { get; init; }
    public required PidsSample Pids { get; init; }
    public required BlkioSample Blkio { get; init; }
    /// <summary>Interface name → counters; null when the container shares the host's network.</summary>
    public IReadOnlyDictionary<string, NetworkSample>? Networks { get; init; }
}

public sealed record CpuSample
{
    public ulong TotalUsage { get; init; }
    /// <summary>cgroup v1 only (cpuacct.usage_percpu); null on v2.</summary>
    public IReadOnlyList<ulong>? PerCpuUsage { get; init; }
    public ulong KernelMode { get; init; }
    public ulong UserMode { get; init; }
    public ulong Periods { get; init; }
    public ulong ThrottledPeriods { get; init; }
    public ulong ThrottledTime { get; init; }
    /// <summary>The host's CPU time from /proc/stat, as Docker counts it.</summary>
    public ulong SystemUsage { get; init; }
    public uint OnlineCpus { get; init; }
}

public sealed record MemorySample
{
    public ulong Usage { get; init; }
    /// <summary>cgroup v1 only.</summary>
    public ulong MaxUsage { get; init; }
    /// <summary>v1 memory.failcnt; v2 the oom count of memory.events.</summary>
    public ulong Failcnt { get; init; }
    /// <summary>The cgroup's limit, or the host's memory when that is lower (no limit set).</summary>
    public ulong Limit { get; init; }
    /// <summary>The memory.stat entries Docker reports (a fixed set per cgroup version).</summary>
    public IReadOnlyDictionary<string, ulong> Stats { get; init; } = new Dictionary<string, ulong>();
}

public sealed record PidsSample(ulong Current, ulong Limit);

/// <summary>One line of a blkio/io counter file: device, operation ("Read", "Write", … on v1; "read"/"write" on v2), value.</summary>
public sealed record BlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);

/// <summary>Docker's blkio lists; on cgroup v2 only <see cref="ServiceBytes"/> is filled and the others are null.</summary>
public sealed record BlkioSample
{
    public IReadOnlyList<BlkioEntry>? ServiceBytes { get; init; }
    public IReadOnlyList<BlkioEntry>? Serviced { get; init; }
    public IReadOnlyList<BlkioEntry>? Queued { get; init; }
    public IReadOnlyList<BlkioEntry>? ServiceTime { get; init; }
    public IReadOnlyList<BlkioEntry>? WaitTime { get; init; }
    public IReadOnlyList<BlkioEntry>? Merged { get; init; }
    public IReadOnlyList<BlkioEntry>? Time { get; init; }
    public IReadOnlyList<BlkioEntry>? Sectors { get; init; }
}

public sealed record NetworkSample
{
    public ulong RxBytes { get; init; }
    public ulong RxPackets { get; init; }
    public ulong RxErrors { get; init; }
    public ulong RxDropped { get; init; }
    public ulong TxBytes { get; init; }
    public ulong TxPackets { get; init; }
    public ulong TxErrors { get; init; }
    public ulong TxDropped { get; init; }
}

/// <summary>What a stats request answers: the sample and the one before it (for CPU deltas); both null when the container is not running.</summary>
public sealed record StatsReading(StatsSample? Current, StatsSample? Previous);
