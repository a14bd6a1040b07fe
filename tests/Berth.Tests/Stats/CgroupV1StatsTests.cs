using Berth.Engine.Stats;

namespace Berth.Tests.Stats;

/// <summary>Files as a busybox container's cgroup v1 hierarchies hold them (taken from this machine under the reference dockerd).</summary>
public sealed class CgroupV1StatsTests
{
    private const string Path = "/berth/c1";
    private const ulong MachineMemory = 24UL * 1024 * 1024 * 1024;

    private static CgroupFixture Container(string memoryLimit = "67108864", string pidsMax = "50") => new CgroupFixture()
        .Write($"memory{Path}/memory.stat", """
            cache 102400
            rss 49152
            rss_huge 0
            shmem 0
            mapped_file 0
            dirty 102400
            writeback 0
            swap 0
            pgpgin 909
            pgpgout 872
            pgfault 1245
            pgmajfault 0
            inactive_anon 45056
            active_anon 4096
            inactive_file 102400
            active_file 0
            unevictable 0
            hierarchical_memory_limit 67108864
            hierarchical_memsw_limit 134217728
            total_cache 102400
            total_rss 49152
            total_rss_huge 0
            total_shmem 0
            total_mapped_file 0
            total_dirty 102400
            total_writeback 0
            total_swap 0
            total_pgpgin 909
            total_pgpgout 872
            total_pgfault 1245
            total_pgmajfault 0
            total_inactive_anon 45056
            total_active_anon 4096
            total_inactive_file 102400
            total_active_file 0
            total_unevictable 0

            """)
        .Write($"memory{Path}/memory.usage_in_bytes", "634880\n")
        .Write($"memory{Path}/memory.max_usage_in_bytes", "3559424\n")
        .Write($"memory{Path}/memory.failcnt", "0\n")
        .Write($"memory{Path}/memory.limit_in_bytes", memoryLimit + "\n")
        .Write($"cpuacct{Path}/cpuacct.usage", "39384558\n")
        .Write($"cpuacct{Path}/cpuacct.usage_percpu", "2764907 36619651 \n")
        .Write($"cpuacct{Path}/cpuacct.stat", "user 1\nsystem 2\n")
        .Write($"cpu{Path}/cpu.stat", "nr_periods 7\nnr_throttled 3\nthrottled_time 12345\nnr_bursts 0\nburst_time 0\n")
        .Write($"pids{Path}/pids.current", "2\n")
        .Write($"pids{Path}/pids.max", pidsMax + "\n")
        .Write($"blkio{Path}/blkio.throttle.io_service_bytes", "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n")
        .Write($"blkio{Path}/blkio.throttle.io_serviced", "8:0 Read 1\n8:0 Write 2\nTotal 3\n");

    [Fact]
    public void Cpu_comes_from_cpuacct_in_nanoseconds_with_ticks_turned_into_nanoseconds()
    {
        using var cgroup = Container();
        var cpu = CgroupV1Stats.Read(cgroup.Root, Path, MachineMemory, 100).Cpu;
        Assert.Equal(39384558UL, cpu.TotalUsage);
        Assert.Equal([2764907UL, 36619651UL], cpu.PerCpuUsage);
        Assert.Equal(10_000_000UL, cpu.UserMode);
        Assert.Equal(20_000_000UL, cpu.KernelMode);
        Assert.Equal((7UL, 3UL, 12345UL), (cpu.Periods, cpu.ThrottledPeriods, cpu.ThrottledTime));
    }

    [Fact]
    public void Memory_reports_dockers_fixed_set_of_stat_keys_and_the_limit()
    {
        using var cgroup = Container();
        var memory = CgroupV1Stats.Read(cgroup.Root, Path, MachineMemory, 100).Memory;
        Assert.Equal(634880UL, memory.Usage);
        Assert.Equal(3559424UL, memory.MaxUsage);
        Assert.Equal(67108864UL, memory.Limit);
        Assert.Equal(32, memory.Stats.Count);
        Assert.Equal(102400UL, memory.Stats["total_inactive_file"]);
        Assert.Equal(134217728UL, memory.Stats["hierarchical_memsw_limit"]);
        Assert.False(memory.Stats.ContainsKey("swap"));
        Assert.False(memory.Stats.ContainsKey("total_shmem"));
    }

    [Fact]
    public void An_unlimited_cgroup_shows_the_hosts_memory_as_its_limit()
    {
        using var cgroup = Container(memoryLimit: "9223372036854771712");
        Assert.Equal(MachineMemory, CgroupV1Stats.Read(cgroup.Root, Path, MachineMemory, 100).Memory.Limit);
    }

    [Fact]
    public void Pids_max_reads_as_no_limit()
    {
        using var limited = Container();
        Assert.Equal(new PidsSample(2, 50), CgroupV1Stats.Read(limited.Root, Path, MachineMemory, 100).Pids);
        using var unlimited = Container(pidsMax: "max");
        Assert.Equal(new PidsSample(2, 0), CgroupV1Stats.Read(unlimited.Root, Path, MachineMemory, 100).Pids);
    }

    [Fact]
    public void Without_cfq_files_block_io_comes_from_the_throttle_files_and_the_other_lists_are_empty()
    {
        using var cgroup = Container();
        var blkio = CgroupV1Stats.Read(cgroup.Root, Path, MachineMemory, 100).Blkio;
        Assert.Equal(new BlkioEntry(8, 0, "Read", 4096), blkio.ServiceBytes![0]);
        Assert.Equal(new BlkioEntry(8, 0, "Write", 8192), blkio.ServiceBytes[1]);
        Assert.Equal(6, blkio.ServiceBytes.Count); // the device-less "Total" line is left out
        Assert.Equal(2, blkio.Serviced!.Count);
        Assert.NotNull(blkio.Queued);
        Assert.Empty(blkio.Queued);
        Assert.Empty(blkio.Sectors!);
    }

    [Fact]
    public void Cfq_files_win_when_they_hold_counters()
    {
        using var cgroup = Container()
            .Write($"blkio{Path}/blkio.io_serviced_recursive", "8:16 Read 5\n8:16 Write 6\nTotal 11\n")
            .Write($"blkio{Path}/blkio.io_service_bytes_recursive", "8:16 Read 500\n8:16 Write 600\nTotal 1100\n")
            .Write($"blkio{Path}/blkio.time_recursive", "8:16 77\n");
        var blkio = CgroupV1Stats.Read(cgroup.Root, Path, MachineMemory, 100).Blkio;
        Assert.Equal(new BlkioEntry(8, 16, "Read", 500), blkio.ServiceBytes![0]);
        Assert.Equal(new BlkioEntry(8, 16, "", 77), Assert.Single(blkio.Time!));
    }

    [Fact]
    public void A_missing_cgroup_reads_as_zeros()
    {
        using var empty = new CgroupFixture();
        var metrics = CgroupV1Stats.Read(empty.Root, Path, MachineMemory, 100);
        Assert.Equal(0UL, metrics.Cpu.TotalUsage);
        Assert.Equal(0UL, metrics.Memory.Usage);
        Assert.Empty(metrics.Blkio.ServiceBytes!);
    }
}
