using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Stats;

namespace Berth.Daemon.Endpoints;

/// <summary>Engine stats samples → Docker's StatsJSON (snake_case, as Docker 20.10 fills it on cgroup v1 and v2).</summary>
public static class StatsMapping
{
    public static ContainerStats ToApi(ContainerRecord container, StatsReading reading) => new()
    {
        Read = reading.Current is { } current ? ApiTime.Format(current.Read) : ApiTime.Zero,
        PreRead = reading.Previous is { } previous ? ApiTime.Format(previous.Read) : ApiTime.Zero,
        PidsStats = reading.Current is { } p ? new PidsStats { Current = p.Pids.Current, Limit = p.Pids.Limit } : new PidsStats(),
        BlkioStats = reading.Current is { } b ? Blkio(b.Blkio) : NoBlkio(),
        CpuStats = Cpu(reading.Current?.Cpu),
        PreCpuStats = Cpu(reading.Previous?.Cpu),
        MemoryStats = reading.Current is { } m ? Memory(m.Memory) : new MemoryStats(),
        Name = container.Name,
        Id = container.Id,
        Networks = reading.Current?.Networks?.OrderBy(n => n.Key, StringComparer.Ordinal).ToDictionary(n => n.Key, n => Network(n.Value), StringComparer.Ordinal),
    };

    private static CpuStats Cpu(CpuSample? cpu) => cpu is null ? new CpuStats() : new CpuStats
    {
        CpuUsage = new CpuUsage
        {
            TotalUsage = cpu.TotalUsage,
            PercpuUsage = cpu.PerCpuUsage?.ToList(),
            UsageInKernelmode = cpu.KernelMode,
            UsageInUsermode = cpu.UserMode,
        },
        SystemUsage = cpu.SystemUsage,
        OnlineCpus = cpu.OnlineCpus,
        ThrottlingData = new ThrottlingData { Periods = cpu.Periods, ThrottledPeriods = cpu.ThrottledPeriods, ThrottledTime = cpu.ThrottledTime },
    };

    private static MemoryStats Memory(MemorySample memory) => new()
    {
        Usage = memory.Usage,
        MaxUsage = memory.MaxUsage,
        // Go writes map keys sorted.
        Stats = new Dictionary<string, ulong>(memory.Stats.OrderBy(s => s.Key, StringComparer.Ordinal), StringComparer.Ordinal),
        Failcnt = memory.Failcnt,
        Limit = memory.Limit,
    };

    private static BlkioStats Blkio(BlkioSample blkio) => new()
    {
        IoServiceBytesRecursive = Entries(blkio.ServiceBytes),
        IoServicedRecursive = Entries(blkio.Serviced),
        IoQueuedRecursive = Entries(blkio.Queued),
        IoServiceTimeRecursive = Entries(blkio.ServiceTime),
        IoWaitTimeRecursive = Entries(blkio.WaitTime),
        IoMergedRecursive = Entries(blkio.Merged),
        IoTimeRecursive = Entries(blkio.Time),
        SectorsRecursive = Entries(blkio.Sectors),
    };

    /// <summary>A container that is not running: Docker sends every list as null.</summary>
    private static BlkioStats NoBlkio() => new()
    {
        IoServiceBytesRecursive = null, IoServicedRecursive = null, IoQueuedRecursive = null, IoServiceTimeRecursive = null,
        IoWaitTimeRecursive = null, IoMergedRecursive = null, IoTimeRecursive = null, SectorsRecursive = null,
    };

    private static List<BlkioStatEntry>? Entries(IReadOnlyList<BlkioEntry>? entries) =>
        entries?.Select(e => new BlkioStatEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value }).ToList();

    private static NetworkStats Network(NetworkSample n) => new()
    {
        RxBytes = n.RxBytes, RxPackets = n.RxPackets, RxErrors = n.RxErrors, RxDropped = n.RxDropped,
        TxBytes = n.TxBytes, TxPackets = n.TxPackets, TxErrors = n.TxErrors, TxDropped = n.TxDropped,
    };
}
