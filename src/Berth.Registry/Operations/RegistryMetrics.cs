using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Berth.Registry.Http;

namespace Berth.Registry.Operations;

/// <summary>Counters and latency histograms, exposed at <c>/metrics</c> in the Prometheus text format.</summary>
public sealed class RegistryMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly int RouteCount = Enum.GetValues<RouteKind>().Length;

    private readonly ConcurrentDictionary<(RouteKind Route, string Method, int Status), StrongBox> _requests = new();
    // [route][bucket], plus the sum (in microseconds) and count per route.
    private readonly long[] _durationBuckets = new long[RouteCount * (Buckets.Length + 1)];
    private readonly long[] _durationSumMicros = new long[RouteCount];
    private readonly long[] _durationCount = new long[RouteCount];
    private long _blobBytesServed;
    private long _uploadsStarted;
    private long _accessLogDropped;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private sealed class StrongBox { public long Value; }

    public void Observe(RouteKind route, string method, int status, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((route, method, status), static _ => new StrongBox()).Value);
        int r = (int)route;
        double seconds = elapsed.TotalSeconds;
        int bucket = 0;
        while (bucket < Buckets.Length && seconds > Buckets[bucket]) bucket++;
        Interlocked.Increment(ref _durationBuckets[r * (Buckets.Length + 1) + bucket]);
        Interlocked.Add(ref _durationSumMicros[r], (long)(seconds * 1_000_000));
        Interlocked.Increment(ref _durationCount[r]);
    }

    public void BlobBytesServed(long bytes) => Interlocked.Add(ref _blobBytesServed, bytes);
    public void UploadStarted() => Interlocked.Increment(ref _uploadsStarted);
    public void AccessLogDropped() => Interlocked.Increment(ref _accessLogDropped);

    public string Render(int openUploads)
    {
        var text = new StringBuilder(4096);
        var inv = CultureInfo.InvariantCulture;
        text.Append("# HELP berth_registry_http_requests_total HTTP requests answered, by route, method and status.\n");
        text.Append("# TYPE berth_registry_http_requests_total counter\n");
        foreach (var (key, box) in _requests.OrderBy(k => k.Key.Route).ThenBy(k => k.Key.Method, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
            text.Append(inv, $"berth_registry_http_requests_total{{route=\"{Label(key.Route)}\",method=\"{key.Method}\",code=\"{key.Status}\"}} {Volatile.Read(ref box.Value)}\n");

        text.Append("# HELP berth_registry_http_request_duration_seconds Time from request start to the end of the answer.\n");
        text.Append("# TYPE berth_registry_http_request_duration_seconds histogram\n");
        for (int r = 0; r < RouteCount; r++)
        {
            long count = Volatile.Read(ref _durationCount[r]);
            if (count == 0) continue;
            string label = Label((RouteKind)r);
            long cumulative = 0;
            for (int b = 0; b <= Buckets.Length; b++)
            {
                cumulative += Volatile.Read(ref _durationBuckets[r * (Buckets.Length + 1) + b]);
                string le = b < Buckets.Length ? Buckets[b].ToString(inv) : "+Inf";
                text.Append(inv, $"berth_registry_http_request_duration_seconds_bucket{{route=\"{label}\",le=\"{le}\"}} {cumulative}\n");
            }
            text.Append(inv, $"berth_registry_http_request_duration_seconds_sum{{route=\"{label}\"}} {Volatile.Read(ref _durationSumMicros[r]) / 1e6}\n");
            text.Append(inv, $"berth_registry_http_request_duration_seconds_count{{route=\"{label}\"}} {count}\n");
        }

        Counter(text, "berth_registry_blob_bytes_served_total", "Blob bytes sent to clients.", Volatile.Read(ref _blobBytesServed));
        Counter(text, "berth_registry_uploads_started_total", "Blob upload sessions started.", Volatile.Read(ref _uploadsStarted));
        Counter(text, "berth_registry_access_log_dropped_total", "Access log lines dropped because the writer fell behind.", Volatile.Read(ref _accessLogDropped));
        Gauge(text, "berth_registry_uploads_open", "Upload sessions held in memory.", openUploads);
        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_resident_memory_bytes", "Resident memory size in bytes.", process.WorkingSet64);
        Gauge(text, "process_start_time_seconds", "Start time of the process since the Unix epoch.", _started.ToUnixTimeSeconds());
        Gauge(text, "dotnet_gc_heap_bytes", "Bytes of the managed heap.", GC.GetTotalMemory(false));
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");

    private static string Label(RouteKind route) => route switch
    {
        RouteKind.UploadStart => "upload_start",
        _ => route.ToString().ToLowerInvariant(),
    };
}
