using Berth.Engine.Stats;

namespace Berth.Tests.Stats;

public sealed class HostCountersTests
{
    [Fact]
    public void System_usage_sums_the_first_seven_cpu_fields_in_nanoseconds_and_counts_cpu_lines()
    {
        const string procStat = """
            cpu  3296231 0 332013 551671 6774 0 11995 10441 0 0
            cpu0 1623103 0 158664 310917 1668 0 5085 5120 0 0
            cpu1 1673128 0 173349 240754 5105 0 6910 5321 0 0
            intr 1 2 3
            ctxt 42
            """;
        var (system, cpus) = HostCpu.Parse(procStat, 100);
        Assert.Equal((3296231UL + 332013 + 551671 + 6774 + 11995) * 10_000_000, system);
        Assert.Equal(2U, cpus);
    }

    [Fact]
    public void Net_dev_gives_counters_per_interface_without_loopback()
    {
        const string netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
              eth0:     736       8    1    2    0     0          0         0      180       3    4    5    0     0       0          0
            """;
        var interfaces = NetDev.Parse(netDev);
        var eth0 = Assert.Single(interfaces).Value;
        Assert.Equal(new NetworkSample { RxBytes = 736, RxPackets = 8, RxErrors = 1, RxDropped = 2, TxBytes = 180, TxPackets = 3, TxErrors = 4, TxDropped = 5 }, eth0);
    }

    [Fact]
    public void Machine_memory_is_mem_total_in_bytes()
    {
        Assert.Equal(24_000_000UL * 1024, StatsSampler.ReadMachineMemory("MemTotal:       24000000 kB\nMemFree:  1 kB\n"));
        Assert.Equal(0UL, StatsSampler.ReadMachineMemory(""));
    }
}
