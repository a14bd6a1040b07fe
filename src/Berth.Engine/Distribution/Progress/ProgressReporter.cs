using System.Diagnostics;
using Berth.Api;

namespace Berth.Engine.Distribution.Progress;

/// <summary>
/// Writes Docker's progress vocabulary to a sink, one message at a time even when layers report from several threads.
/// Byte counts are thinned out as Docker does (every 1% or 512 KB, and at most every 100 ms per layer) except the last.
/// </summary>
public sealed class ProgressReporter(IProgress<JsonMessage>? sink)
{
    private static readonly long MinInterval = Stopwatch.Frequency / 10;
    private readonly object _gate = new();
    private readonly Dictionary<string, (long Bytes, long At)> _last = new(StringComparer.Ordinal);

    public static readonly ProgressReporter None = new(null);

    /// <summary>A line without layer id, e.g. <c>Digest: sha256:…</c>.</summary>
    public void Status(string status, string? id = null) => Write(new JsonMessage { Status = status, Id = id });

    /// <summary>A layer's state change (<c>Pulling fs layer</c>, <c>Pushed</c>), with Docker's empty progressDetail.</summary>
    public void Layer(string id, string status) => Write(new JsonMessage { Status = status, Id = id, ProgressDetail = new JsonProgress() });

    /// <summary>A layer's byte progress (<c>Downloading</c>, <c>Extracting</c>, <c>Pushing</c>).</summary>
    public void Bytes(string id, string status, long current, long total)
    {
        if (sink is null) return;
        long now = Stopwatch.GetTimestamp();
        string key = id + "\0" + status;
        lock (_gate)
        {
            bool done = total > 0 && current >= total;
            if (_last.TryGetValue(key, out var last) && !done)
            {
                long every = Math.Min(512 << 10, total > 0 ? Math.Max(1, total / 100) : 512 << 10);
                if (current - last.Bytes < every || now - last.At < MinInterval) return;
            }
            _last[key] = (current, now);
        }
        Write(new JsonMessage
        {
            Status = status,
            Id = id,
            ProgressDetail = new JsonProgress { Current = current, Total = total },
            Progress = ProgressText.Render(current, total),
        });
    }

    /// <summary>The aux line that ends a push (<c>{"Tag":…,"Digest":…,"Size":…}</c>).</summary>
    public void Aux(System.Text.Json.JsonElement aux) => Write(new JsonMessage { ProgressDetail = new JsonProgress(), Aux = aux });

    private void Write(JsonMessage message)
    {
        if (sink is null) return;
        lock (_gate) sink.Report(message);
    }
}
