using System.Text.Json;
using Berth.Api;
using Berth.Daemon.Endpoints;
using Berth.Engine.Containers;
using Berth.Engine.Stats;

namespace Berth.Tests.Stats;

public sealed class StatsMappingTests
{
    private static readonly ContainerRecord Container = new()
    {
        Id = "d01d8ea79fb7d9966f2afb231a5d7e0f130d4c931741e98db92a0ff6a1e2eb7f", Name = "/web", Created = DateTimeOffset.UnixEpoch,
        ImageId = "sha256:x", Path = "sleep", Args = ["600"], Config = new ContainerConfig(), HostConfig = new HostConfig(),
    };

    private static string Json(StatsReading reading) => JsonSerializer.Serialize(StatsMapping.ToApi(Container, reading), ApiJson.Context.ContainerStats);

    [Fact]
    public void A_container_that_is_not_running_is_dockers_zero_reading()
    {
        string json = Json(new StatsReading(null, null));
        Assert.StartsWith("""{"read":"0001-01-01T00:00:00Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{"io_service_bytes_recursive":null,""", json);
        Assert.Contains("\"memory_stats\":{},\"name\":\"/web\",\"id\":\"d01d8ea79fb7", json);
        Assert.DoesNotContain("networks", json);
        Assert.DoesNotContain("system_cpu_usage", json);
    }

    [Fact]
    public void A_reading_keeps_its_previous_sample_as_precpu_and_sorts_map_keys_as_go_does()
    {
        var earlier = new StatsSample
        {
            Read = DateTimeOffset.UnixEpoch.AddSeconds(1), Cpu = new CpuSample { TotalUsage = 5, SystemUsage = 100, OnlineCpus = 2 },
            Memory = new MemorySample(), Pids = new PidsSample(1, 0), Blkio = new BlkioSample(),
        };
        var now = earlier with
        {
            Read = DateTimeOffset.UnixEpoch.AddSeconds(2), Cpu = new CpuSample { TotalUsage = 9, SystemUsage = 200, OnlineCpus = 2 },
            Memory = new MemorySample { Usage = 10, Limit = 20, Stats = new Dictionary<string, ulong> { ["rss"] = 1, ["cache"] = 2 } },
            Networks = new Dictionary<string, NetworkSample> { ["eth1"] = new(), ["eth0"] = new() },
        };
        var stats = StatsMapping.ToApi(Container, new StatsReading(now, earlier));
        Assert.Equal("1970-01-01T00:00:01Z", stats.PreRead);
        Assert.Equal((9UL, 5UL, 100UL), (stats.CpuStats.CpuUsage.TotalUsage, stats.PreCpuStats.CpuUsage.TotalUsage, stats.PreCpuStats.SystemUsage));
        Assert.Equal(["cache", "rss"], stats.MemoryStats.Stats!.Keys);
        Assert.Equal(["eth0", "eth1"], stats.Networks!.Keys);
        Assert.Equal(new PidsStats { Current = 1 }.Current, stats.PidsStats.Current);
    }
}
