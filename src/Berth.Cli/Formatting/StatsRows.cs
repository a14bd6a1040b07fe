using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>One line of docker stats, computed from a stats reading exactly as the docker CLI does.</summary>
public sealed record StatsEntry(string Container, string Id, string Name, double CpuPercent, double Memory, double MemoryLimit,
    double MemoryPercent, double NetworkRx, double NetworkTx, double BlockRead, double BlockWrite, ulong Pids)
{
    /// <summary>docker's stats helpers: CPU % from the delta to precpu_stats, memory without the inactive file cache.</summary>
    public static StatsEntry From(string container, ContainerStats stats)
    {
        double memory = MemoryWithoutCache(stats.MemoryStats);
        double limit = stats.MemoryStats.Limit;
        var (read, write) = BlockIo(stats.BlkioStats);
        double rx = 0, tx = 0;
        foreach (var network in stats.Networks?.Values ?? Enumerable.Empty<NetworkStats>())
        {
            rx += network.RxBytes;
            tx += network.TxBytes;
        }
        return new StatsEntry(container, stats.Id ?? "", stats.Name ?? "", CpuPercentOf(stats), memory, limit,
            limit != 0 ? memory / limit * 100.0 : 0, rx, tx, read, write, stats.PidsStats.Current);
    }

    public static double CpuPercentOf(ContainerStats stats)
    {
        double cpuDelta = (double)stats.CpuStats.CpuUsage.TotalUsage - stats.PreCpuStats.CpuUsage.TotalUsage;
        double systemDelta = (double)stats.CpuStats.SystemUsage - stats.PreCpuStats.SystemUsage;
        double cpus = stats.CpuStats.OnlineCpus;
        if (cpus == 0) cpus = stats.CpuStats.CpuUsage.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0;
    }

    /// <summary>usage − total_inactive_file on cgroup v1, usage − inactive_file on v2 (docker CLI 28).</summary>
    public static double MemoryWithoutCache(MemoryStats memory)
    {
        var stats = memory.Stats ?? new Dictionary<string, ulong>();
        if (stats.TryGetValue("total_inactive_file", out ulong v1) && v1 < memory.Usage) return memory.Usage - v1;
        ulong v2 = stats.TryGetValue("inactive_file", out ulong inactive) ? inactive : 0;
        return v2 < memory.Usage ? memory.Usage - v2 : memory.Usage;
    }

    private static (double Read, double Write) BlockIo(BlkioStats blkio)
    {
        double read = 0, write = 0;
        foreach (var entry in blkio.IoServiceBytesRecursive ?? [])
        {
            if (entry.Op.Length == 0) continue;
            switch (entry.Op[0])
            {
                case 'r' or 'R': read += entry.Value; break;
                case 'w' or 'W': write += entry.Value; break;
            }
        }
        return (read, write);
    }
}

/// <summary>The fields docker's stats templates see, in alphabetical order so <c>{{json .}}</c> prints as docker's does.</summary>
public static class StatsRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static JsonObject Header() => GoTemplateAdapter.MarkHeader(new()
    {
        ["BlockIO"] = "BLOCK I/O",
        ["CPUPerc"] = "CPU %",
        ["Container"] = "CONTAINER",
        ["ID"] = "CONTAINER ID",
        ["MemPerc"] = "MEM %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["Name"] = "NAME",
        ["NetIO"] = "NET I/O",
        ["PIDs"] = "PIDS",
    });

    public static JsonObject Row(StatsEntry entry, bool truncate) => new()
    {
        ["BlockIO"] = HumanUnits.HumanSize(entry.BlockRead) + " / " + HumanUnits.HumanSize(entry.BlockWrite),
        ["CPUPerc"] = Percent(entry.CpuPercent),
        ["Container"] = entry.Container,
        ["ID"] = truncate ? IdFormat.Truncate(entry.Id) : entry.Id,
        ["MemPerc"] = Percent(entry.MemoryPercent),
        ["MemUsage"] = HumanUnits.BytesSize(entry.Memory) + " / " + HumanUnits.BytesSize(entry.MemoryLimit),
        ["Name"] = entry.Name.Length > 1 ? entry.Name[1..] : "--",
        ["NetIO"] = HumanUnits.HumanSize(entry.NetworkRx) + " / " + HumanUnits.HumanSize(entry.NetworkTx),
        ["PIDs"] = entry.Pids.ToString(CultureInfo.InvariantCulture),
    };

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";
}
