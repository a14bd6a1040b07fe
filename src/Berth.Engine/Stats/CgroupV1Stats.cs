namespace Berth.Engine.Stats;

/// <summary>
/// Counters of a cgroup v1 container, read as containerd's cgroups v1 package reads them and reported as Docker 20.10's
/// statsV1 does: one directory per controller (<c>{root}/{controller}{path}</c>).
/// </summary>
public static class CgroupV1Stats
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    /// <summary>The memory.stat entries Docker copies, each also with its "total_" form.</summary>
    private static readonly string[] MemoryStatKeys =
    [
        "cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback", "pgpgin", "pgpgout", "pgfault", "pgmajfault",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
    ];

    public static CgroupMetrics Read(string root, string cgroupPath, ulong machineMemory, ulong clockTicks)
    {
        string Dir(string controller) => Path.Join(root, controller, cgroupPath);
        return new CgroupMetrics(ReadCpu(Dir("cpuacct"), Dir("cpu"), clockTicks), ReadMemory(Dir("memory"), machineMemory),
            ReadPids(Dir("pids")), ReadBlkio(Dir("blkio")));
    }

    public static CpuSample ReadCpu(string cpuacctDir, string cpuDir, ulong clockTicks)
    {
        var stat = CgroupFiles.ReadKeyed(Path.Join(cpuacctDir, "cpuacct.stat"));
        var throttling = CgroupFiles.ReadKeyed(Path.Join(cpuDir, "cpu.stat"));
        var perCpu = CgroupFiles.Read(Path.Join(cpuacctDir, "cpuacct.usage_percpu"))
            .Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(CgroupFiles.ParseNumber).ToList();
        ulong ticks = clockTicks == 0 ? 100 : clockTicks;
        return new CpuSample
        {
            TotalUsage = CgroupFiles.ReadNumber(Path.Join(cpuacctDir, "cpuacct.usage")),
            PerCpuUsage = perCpu,
            UserMode = stat.Get("user") * NanosecondsPerSecond / ticks,
            KernelMode = stat.Get("system") * NanosecondsPerSecond / ticks,
            Periods = throttling.Get("nr_periods"),
            ThrottledPeriods = throttling.Get("nr_throttled"),
            ThrottledTime = throttling.Get("throttled_time"),
        };
    }

    public static MemorySample ReadMemory(string dir, ulong machineMemory)
    {
        var stat = CgroupFiles.ReadKeyed(Path.Join(dir, "memory.stat"));
        var stats = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string key in MemoryStatKeys)
        {
            stats[key] = stat.Get(key);
            stats["total_" + key] = stat.Get("total_" + key);
        }
        stats["hierarchical_memory_limit"] = stat.Get("hierarchical_memory_limit");
        stats["hierarchical_memsw_limit"] = stat.Get("hierarchical_memsw_limit");
        ulong limit = CgroupFiles.ReadNumber(Path.Join(dir, "memory.limit_in_bytes"));
        return new MemorySample
        {
            Usage = CgroupFiles.ReadNumber(Path.Join(dir, "memory.usage_in_bytes")),
            MaxUsage = CgroupFiles.ReadNumber(Path.Join(dir, "memory.max_usage_in_bytes")),
            Failcnt = CgroupFiles.ReadNumber(Path.Join(dir, "memory.failcnt")),
            // Unlimited is a huge page-rounded number on v1; Docker shows the host's memory instead.
            Limit = machineMemory > 0 && limit > machineMemory ? machineMemory : limit,
            Stats = stats,
        };
    }

    public static PidsSample ReadPids(string dir)
    {
        ulong limit = CgroupFiles.ReadNumber(Path.Join(dir, "pids.max"));
        return new PidsSample(CgroupFiles.ReadNumber(Path.Join(dir, "pids.current")), limit == ulong.MaxValue ? 0 : limit);
    }

    /// <summary>
    /// The CFQ files when the kernel has them and they hold anything, else the throttle files (which count I/O on
    /// every scheduler), as containerd decides; Docker then shows empty lists, never null, on v1.
    /// </summary>
    public static BlkioSample ReadBlkio(string dir)
    {
        if (File.Exists(Path.Join(dir, "blkio.io_serviced_recursive")))
        {
            var cfq = new BlkioSample
            {
                Sectors = Entries(dir, "blkio.sectors_recursive"),
                ServiceBytes = Entries(dir, "blkio.io_service_bytes_recursive"),
                Serviced = Entries(dir, "blkio.io_serviced_recursive"),
                Queued = Entries(dir, "blkio.io_queued_recursive"),
                ServiceTime = Entries(dir, "blkio.io_service_time_recursive"),
                WaitTime = Entries(dir, "blkio.io_wait_time_recursive"),
                Merged = Entries(dir, "blkio.io_merged_recursive"),
                Time = Entries(dir, "blkio.time_recursive"),
            };
            if (new[] { cfq.Sectors, cfq.ServiceBytes, cfq.Serviced, cfq.Queued, cfq.ServiceTime, cfq.WaitTime, cfq.Merged, cfq.Time }.Any(list => list!.Count > 0))
                return cfq;
        }
        return new BlkioSample
        {
            ServiceBytes = Entries(dir, "blkio.throttle.io_service_bytes"),
            Serviced = Entries(dir, "blkio.throttle.io_serviced"),
            Queued = [],
            ServiceTime = [],
            WaitTime = [],
            Merged = [],
            Time = [],
            Sectors = [],
        };
    }

    private static List<BlkioEntry> Entries(string dir, string file) => ParseBlkio(CgroupFiles.Read(Path.Join(dir, file)));

    /// <summary>"8:0 Read 4096" lines (and "8:0 4096" in the time/sectors files); the "Total 123" summary line is skipped.</summary>
    public static List<BlkioEntry> ParseBlkio(string text)
    {
        var entries = new List<BlkioEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !CgroupFiles.TryParseDevice(fields[0], out ulong major, out ulong minor)) continue;
            if (fields.Length == 2)
                entries.Add(new BlkioEntry(major, minor, "", CgroupFiles.ParseNumber(fields[1])));
            else
                entries.Add(new BlkioEntry(major, minor, fields[1], CgroupFiles.ParseNumber(fields[2])));
        }
        return entries;
    }
}
