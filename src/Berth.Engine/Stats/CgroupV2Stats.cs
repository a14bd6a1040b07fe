namespace Berth.Engine.Stats;

/// <summary>
/// Counters of a cgroup v2 container (one directory), reported as Docker 20.10's statsV2 does: CPU from cpu.stat
/// (microseconds turned into nanoseconds, no per-CPU figures), memory.stat's fixed set of keys, read/write bytes of
/// io.stat and nothing else for block I/O.
/// </summary>
public static class CgroupV2Stats
{
    private const ulong NanosecondsPerMicrosecond = 1000;

    private static readonly string[] MemoryStatKeys =
    [
        "anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped", "file_dirty", "file_writeback", "anon_thp",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
        "pgfault", "pgmajfault", "workingset_refault", "workingset_activate", "workingset_nodereclaim", "pgrefill", "pgscan",
        "pgsteal", "pgactivate", "pgdeactivate", "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc",
    ];

    public static CgroupMetrics Read(string dir, ulong machineMemory) =>
        new(ReadCpu(dir), ReadMemory(dir, machineMemory), ReadPids(dir), ReadBlkio(dir));

    public static CpuSample ReadCpu(string dir)
    {
        var stat = CgroupFiles.ReadKeyed(Path.Join(dir, "cpu.stat"));
        return new CpuSample
        {
            TotalUsage = stat.Get("usage_usec") * NanosecondsPerMicrosecond,
            UserMode = stat.Get("user_usec") * NanosecondsPerMicrosecond,
            KernelMode = stat.Get("system_usec") * NanosecondsPerMicrosecond,
            Periods = stat.Get("nr_periods"),
            ThrottledPeriods = stat.Get("nr_throttled"),
            ThrottledTime = stat.Get("throttled_usec") * NanosecondsPerMicrosecond,
        };
    }

    public static MemorySample ReadMemory(string dir, ulong machineMemory)
    {
        var stat = CgroupFiles.ReadKeyed(Path.Join(dir, "memory.stat"));
        var stats = MemoryStatKeys.ToDictionary(key => key, stat.Get, StringComparer.Ordinal);
        ulong limit = CgroupFiles.ReadNumber(Path.Join(dir, "memory.max"));
        return new MemorySample
        {
            Usage = CgroupFiles.ReadNumber(Path.Join(dir, "memory.current")),
            Failcnt = CgroupFiles.ReadKeyed(Path.Join(dir, "memory.events")).Get("oom"),
            Limit = machineMemory > 0 && limit > machineMemory ? machineMemory : limit,
            Stats = stats,
        };
    }

    public static PidsSample ReadPids(string dir)
    {
        ulong limit = CgroupFiles.ReadNumber(Path.Join(dir, "pids.max"));
        return new PidsSample(CgroupFiles.ReadNumber(Path.Join(dir, "pids.current")), limit == ulong.MaxValue ? 0 : limit);
    }

    public static BlkioSample ReadBlkio(string dir)
    {
        var entries = ParseIoStat(CgroupFiles.Read(Path.Join(dir, "io.stat")));
        return new BlkioSample { ServiceBytes = entries.Count == 0 ? null : entries };
    }

    /// <summary>"8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" → a "read" and a "write" entry per device.</summary>
    public static List<BlkioEntry> ParseIoStat(string text)
    {
        var entries = new List<BlkioEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !CgroupFiles.TryParseDevice(fields[0], out ulong major, out ulong minor)) continue;
            ulong read = 0, written = 0;
            foreach (var field in fields.Skip(1))
            {
                int equals = field.IndexOf('=');
                if (equals <= 0) continue;
                ulong value = CgroupFiles.ParseNumber(field[(equals + 1)..]);
                switch (field[..equals])
                {
                    case "rbytes": read = value; break;
                    case "wbytes": written = value; break;
                }
            }
            entries.Add(new BlkioEntry(major, minor, "read", read));
            entries.Add(new BlkioEntry(major, minor, "write", written));
        }
        return entries;
    }
}
