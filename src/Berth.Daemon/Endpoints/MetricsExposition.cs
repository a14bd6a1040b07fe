using System.Diagnostics;
using System.Globalization;
using System.Text;
using Berth.Daemon.Hosting;
using Berth.Engine.Metrics;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The daemon's metrics in Prometheus' text format, under dockerd's names (engine_daemon_*, process_*), for the
/// listener of daemon.json "metrics-addr". Written by hand: the format is a few lines per metric, and a metrics
/// library would load for every daemon whether or not it is ever scraped.
/// </summary>
public static class MetricsExposition
{
    public static string Render(DaemonServices services)
    {
        var text = new StringBuilder(4096);
        var metrics = services.Containers.Metrics;
        WriteHistogram(text, "engine_daemon_container_actions_seconds", "The number of seconds it takes to process each container action", metrics.ContainerActions);

        var containers = services.Containers.List();
        Header(text, "engine_daemon_container_states_containers", "The count of containers in various states", "gauge");
        Sample(text, "engine_daemon_container_states_containers", "state=\"paused\"", containers.Count(c => c.State.Paused));
        Sample(text, "engine_daemon_container_states_containers", "state=\"running\"", containers.Count(c => c.State.Running && !c.State.Paused));
        Sample(text, "engine_daemon_container_states_containers", "state=\"stopped\"", containers.Count(c => !c.State.Running));

        Gauge(text, "engine_daemon_engine_cpus_cpus", "The number of cpus that the host system of the engine has", Environment.ProcessorCount);
        Header(text, "engine_daemon_engine_info", "The information related to the engine and the OS it is running on", "gauge");
        string labels = string.Join(",", new (string Key, string Value)[]
        {
            ("architecture", SystemEndpoints.Arch), ("commit", DaemonInfo.GitCommit), ("daemon_id", services.Id), ("graphdriver", "overlay2"),
            ("kernel", SystemEndpoints.Kernel), ("os", SystemEndpoints.OsName()), ("os_type", "linux"),
            ("os_version", SystemEndpoints.OsRelease("VERSION_ID") ?? ""), ("version", DaemonInfo.Version),
        }.Select(l => $"{l.Key}=\"{Escape(l.Value)}\""));
        Sample(text, "engine_daemon_engine_info", labels, 1);
        Gauge(text, "engine_daemon_engine_memory_bytes", "The number of bytes of memory that the host system of the engine has", SystemEndpoints.MemTotal());
        Gauge(text, "engine_daemon_events_subscribers_total", "The number of current subscribers to events", services.Events.Subscribers);
        Counter(text, "engine_daemon_events_total", "The number of events logged", services.Events.Published);
        Counter(text, "engine_daemon_health_checks_failed_total", "The total number of failed health checks", metrics.HealthChecksFailed);
        Counter(text, "engine_daemon_health_checks_total", "The total number of health checks", metrics.HealthChecks);

        using var process = Process.GetCurrentProcess();
        Counter(text, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_max_fds", "Maximum number of open file descriptors.", MaxOpenFiles());
        Gauge(text, "process_open_fds", "Number of open file descriptors.", DaemonInfo.OpenFileDescriptors());
        Gauge(text, "process_resident_memory_bytes", "Resident memory size in bytes.", Environment.WorkingSet);
        Gauge(text, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", new DateTimeOffset(process.StartTime).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "process_virtual_memory_bytes", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, string name, string help, Histogram histogram)
    {
        Header(text, name, help, "histogram");
        foreach (var (value, series) in histogram.All)
        {
            string label = $"{histogram.Label}=\"{Escape(value)}\"";
            for (int i = 0; i < Histogram.Buckets.Length; i++)
                Sample(text, name + "_bucket", $"{label},le=\"{Number(Histogram.Buckets[i])}\"", series.CountAtOrUnder(i));
            Sample(text, name + "_bucket", $"{label},le=\"+Inf\"", series.Count);
            Sample(text, name + "_sum", label, series.Sum);
            Sample(text, name + "_count", label, series.Count);
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        Sample(text, name, null, value);
    }

    private static void Counter(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "counter");
        Sample(text, name, null, value);
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (labels is not null) text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>The shortest form that reads back as the same value (what Prometheus' own clients write).</summary>
    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static double MaxOpenFiles()
    {
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double soft) ? soft : 0;
        }
        return 0;
    }
}
