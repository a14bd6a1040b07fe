using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Berth.Engine.Stats;

namespace Berth.Engine.Containers;

/// <summary>
/// docker stats. CPU % is computed by clients from the delta between a sample and the one before it (precpu_stats),
/// so a one-off request needs two samples. Docker waits a full second for its collector's next tick; berthd keeps the
/// last sample it took of each container and pairs a new sample with it, and only when it has none (or one taken a
/// moment ago) takes two samples <see cref="ShortInterval"/> apart. Every figure is a real reading with its real time.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>Long enough for /proc/stat's 10 ms ticks to give a CPU % within a few percent.</summary>
    private static readonly TimeSpan ShortInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MinimumPairGap = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaleSample = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, StatsSample> _lastStats = new(StringComparer.Ordinal);

    private readonly StatsSampler _statsSampler = StatsSampler.ForHost();

    /// <summary>GET /containers/{id}/stats?stream=false: the current sample and an earlier one (none with <paramref name="oneShot"/>, as Docker).</summary>
    public async Task<StatsReading> ReadStatsAsync(string idOrName, bool oneShot, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        var now = DateTimeOffset.UtcNow;
        if (oneShot) return new StatsReading(SampleStats(container), null);
        if (!_lastStats.TryGetValue(container.Id, out var previous) || now - previous.Read < MinimumPairGap || now - previous.Read > StaleSample
            || previous.Read < container.State.StartedAt) // a sample of an earlier run: its counters were reset since
        {
            previous = SampleStats(container);
            if (previous is null) return new StatsReading(null, null);
            await Task.Delay(ShortInterval, cancellationToken);
        }
        var current = SampleStats(container);
        return new StatsReading(current, current is null ? null : previous);
    }

    /// <summary>GET /containers/{id}/stats?stream=true: a reading per second until cancelled or the container is removed; zeros while it is not running.</summary>
    public async IAsyncEnumerable<StatsReading> StreamStatsAsync(string idOrName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        // Docker's first frame has no precpu; a recent sample of ours is as good a start and gives a CPU % at once.
        StatsSample? previous = _lastStats.TryGetValue(container.Id, out var last) && DateTimeOffset.UtcNow - last.Read <= 2 * StreamInterval
            && !(last.Read < container.State.StartedAt) ? last : null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_store.TryGet(container.Id) is null) yield break;
            var current = SampleStats(container);
            yield return new StatsReading(current, current is null ? null : previous);
            previous = current;
            await Task.Delay(StreamInterval, cancellationToken);
        }
    }

    /// <summary>A sample of a running container (remembered for the next request), or null when it is not running.</summary>
    private StatsSample? SampleStats(ContainerRecord container)
    {
        int pid = container.State.Pid;
        if (!container.State.Running || pid <= 0)
        {
            _lastStats.TryRemove(container.Id, out _);
            return null;
        }
        var sample = _statsSampler.Sample(CgroupPathOf(container), container.HostConfig.NetworkMode == "host" ? 0 : pid);
        _lastStats[container.Id] = sample;
        if (_lastStats.Count > 256) ForgetStaleStats(sample.Read);
        return sample;
    }

    private void ForgetStaleStats(DateTimeOffset now)
    {
        foreach (var (id, sample) in _lastStats)
            if (now - sample.Read > StaleSample) _lastStats.TryRemove(id, out _);
    }
}
