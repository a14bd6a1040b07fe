using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>The host's CPU time and online CPUs from /proc/stat, computed as Docker's stats collector does.</summary>
public static class HostCpu
{
    /// <summary>Sum of the first seven fields of the "cpu" line (user … softirq) in nanoseconds, and the number of "cpuN" lines.</summary>
    public static (ulong SystemUsage, uint OnlineCpus) Parse(string procStat, ulong clockTicks)
    {
        ulong ticks = 0;
        uint cpus = 0;
        foreach (var line in procStat.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "cpu")
            {
                foreach (var field in fields.Skip(1).Take(7))
                    ticks += ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
            }
            else
            {
                cpus++;
            }
        }
        ulong hz = clockTicks == 0 ? 100 : clockTicks;
        return (ticks * 1_000_000_000 / hz, cpus);
    }

    public static (ulong SystemUsage, uint OnlineCpus) Read(ulong clockTicks) => Parse(CgroupFiles.Read("/proc/stat"), clockTicks);
}
