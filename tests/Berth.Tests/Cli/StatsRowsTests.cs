using Berth.Api;
using Berth.Cli.Formatting;

namespace Berth.Tests.Cli;

public sealed class StatsRowsTests
{
    private static ContainerStats Reading() => new()
    {
        Id = "d01d8ea79fb7d9966f2afb231a5d7e0f130d4c931741e98db92a0ff6a1e2eb7f",
        Name = "/web",
        CpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 300_000_000 }, SystemUsage = 2_000_000_000, OnlineCpus = 2 },
        PreCpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = 100_000_000 }, SystemUsage = 1_000_000_000, OnlineCpus = 2 },
        MemoryStats = new MemoryStats { Usage = 634880, Limit = 67108864, Stats = new() { ["total_inactive_file"] = 110592 } },
        PidsStats = new PidsStats { Current = 2, Limit = 50 },
        BlkioStats = new BlkioStats { IoServiceBytesRecursive = [new() { Op = "Read", Value = 4096 }, new() { Op = "write", Value = 1_500_000 }, new() { Op = "Total", Value = 1 }] },
        Networks = new() { ["eth0"] = new NetworkStats { RxBytes = 736, TxBytes = 0 }, ["eth1"] = new NetworkStats { RxBytes = 1000, TxBytes = 2048 } },
    };

    [Fact]
    public void The_row_is_computed_as_the_docker_cli_computes_it()
    {
        var row = StatsRows.Row(StatsEntry.From("web", Reading()), truncate: true);
        Assert.Equal("d01d8ea79fb7", (string?)row["ID"]);
        Assert.Equal("web", (string?)row["Name"]);
        Assert.Equal("40.00%", (string?)row["CPUPerc"]); // 0.2 s of 1 s on 2 CPUs
        Assert.Equal("512KiB / 64MiB", (string?)row["MemUsage"]);
        Assert.Equal("0.78%", (string?)row["MemPerc"]);
        Assert.Equal("1.74kB / 2.05kB", (string?)row["NetIO"]);
        Assert.Equal("4.1kB / 1.5MB", (string?)row["BlockIO"]);
        Assert.Equal("2", (string?)row["PIDs"]);
    }

    [Fact]
    public void Cgroup_v2_subtracts_inactive_file_and_a_stopped_container_is_zeros()
    {
        var v2 = new MemoryStats { Usage = 1000, Stats = new() { ["inactive_file"] = 400 } };
        Assert.Equal(600, StatsEntry.MemoryWithoutCache(v2));
        var row = StatsRows.Row(StatsEntry.From("old", new ContainerStats { Name = "/old", Id = "abc" }), truncate: true);
        Assert.Equal(("0.00%", "0B / 0B", "0.00%", "0"), ((string?)row["CPUPerc"], (string?)row["MemUsage"], (string?)row["MemPerc"], (string?)row["PIDs"]));
    }
}
