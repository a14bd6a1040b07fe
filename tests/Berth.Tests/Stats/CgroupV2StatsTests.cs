using Berth.Engine.Stats;

namespace Berth.Tests.Stats;

/// <summary>Files of a cgroup v2 container directory as a 6.x kernel writes them.</summary>
public sealed class CgroupV2StatsTests
{
    private const ulong MachineMemory = 8UL * 1024 * 1024 * 1024;

    private static CgroupFixture Container(string memoryMax = "67108864", string pidsMax = "max", string ioStat = "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n") => new CgroupFixture()
        .Write("cpu.stat", "usage_usec 39384\nuser_usec 10000\nsystem_usec 29384\nnr_periods 4\nnr_throttled 1\nthrottled_usec 250\nnr_bursts 0\nburst_usec 0\n")
        .Write("memory.current", "634880\n")
        .Write("memory.max", memoryMax + "\n")
        .Write("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n")
        .Write("memory.stat", """
            anon 49152
            file 102400
            kernel 65536
            kernel_stack 16384
            pagetables 4096
            sec_pagetables 0
            percpu 0
            sock 0
            vmalloc 0
            shmem 0
            file_mapped 0
            file_dirty 102400
            file_writeback 0
            swapcached 0
            anon_thp 0
            inactive_anon 45056
            active_anon 4096
            inactive_file 102400
            active_file 0
            unevictable 0
            slab_reclaimable 1000
            slab_unreclaimable 2000
            slab 3000
            pgfault 1245
            pgmajfault 0

            """)
        .Write("pids.current", "2\n")
        .Write("pids.max", pidsMax + "\n")
        .Write("io.stat", ioStat);

    [Fact]
    public void Cpu_microseconds_become_nanoseconds_and_there_is_no_per_cpu_list()
    {
        using var cgroup = Container();
        var cpu = CgroupV2Stats.Read(cgroup.Root, MachineMemory).Cpu;
        Assert.Equal(39_384_000UL, cpu.TotalUsage);
        Assert.Equal(10_000_000UL, cpu.UserMode);
        Assert.Equal(29_384_000UL, cpu.KernelMode);
        Assert.Null(cpu.PerCpuUsage);
        Assert.Equal((4UL, 1UL, 250_000UL), (cpu.Periods, cpu.ThrottledPeriods, cpu.ThrottledTime));
    }

    [Fact]
    public void Memory_has_dockers_v2_keys_the_oom_count_as_failcnt_and_no_max_usage()
    {
        using var cgroup = Container();
        var memory = CgroupV2Stats.Read(cgroup.Root, MachineMemory).Memory;
        Assert.Equal(634880UL, memory.Usage);
        Assert.Equal(67108864UL, memory.Limit);
        Assert.Equal(1UL, memory.Failcnt);
        Assert.Equal(0UL, memory.MaxUsage);
        Assert.Equal(31, memory.Stats.Count);
        Assert.Equal(102400UL, memory.Stats["inactive_file"]);
        Assert.Equal(3000UL, memory.Stats["slab"]);
        Assert.Equal(0UL, memory.Stats["thp_collapse_alloc"]); // absent from the file, present in Docker's map
        Assert.False(memory.Stats.ContainsKey("kernel"));
    }

    [Fact]
    public void Max_limits_become_the_hosts_memory_and_no_pids_limit()
    {
        using var cgroup = Container(memoryMax: "max", pidsMax: "max");
        var metrics = CgroupV2Stats.Read(cgroup.Root, MachineMemory);
        Assert.Equal(MachineMemory, metrics.Memory.Limit);
        Assert.Equal(new PidsSample(2, 0), metrics.Pids);
    }

    [Fact]
    public void Io_stat_gives_read_and_write_bytes_per_device_and_nothing_else()
    {
        using var cgroup = Container(ioStat: "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
        var blkio = CgroupV2Stats.Read(cgroup.Root, MachineMemory).Blkio;
        Assert.Equal(
            [new BlkioEntry(8, 0, "read", 4096), new BlkioEntry(8, 0, "write", 8192), new BlkioEntry(253, 1, "read", 1), new BlkioEntry(253, 1, "write", 0)],
            blkio.ServiceBytes);
        Assert.Null(blkio.Serviced);
        Assert.Null(blkio.Sectors);
    }

    [Fact]
    public void No_io_yet_is_a_null_list_as_in_docker()
    {
        using var cgroup = Container(ioStat: "");
        Assert.Null(CgroupV2Stats.Read(cgroup.Root, MachineMemory).Blkio.ServiceBytes);
    }
}
