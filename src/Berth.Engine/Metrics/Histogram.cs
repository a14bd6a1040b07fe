namespace Berth.Engine.Metrics;

/// <summary>
/// A Prometheus histogram per label value (the default buckets, as dockerd's): counts of observations at or under each
/// bound, their sum and count. Thread-safe; an observation is a few interlocked adds.
/// </summary>
public sealed class Histogram(string label, params string[] labelValues)
{
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Dictionary<string, Series> _series = labelValues.ToDictionary(v => v, _ => new Series(), StringComparer.Ordinal);

    public string Label => label;

    public IEnumerable<(string Value, Series Series)> All => _series.Select(s => (s.Key, s.Value));

    public void Observe(string labelValue, TimeSpan elapsed)
    {
        if (_series.TryGetValue(labelValue, out var series)) series.Observe(elapsed.TotalSeconds);
    }

    /// <summary>Times a block: <c>using var _ = histogram.Time("start");</c>.</summary>
    public Timing Time(string labelValue) => new(this, labelValue, System.Diagnostics.Stopwatch.GetTimestamp());

    public readonly struct Timing(Histogram histogram, string labelValue, long startedAt) : IDisposable
    {
        public void Dispose() => histogram.Observe(labelValue, System.Diagnostics.Stopwatch.GetElapsedTime(startedAt));
    }

    public sealed class Series
    {
        private readonly long[] _counts = new long[Buckets.Length];
        private long _count;
        private long _sumMicroseconds;

        public long Count => Interlocked.Read(ref _count);
        public double Sum => Interlocked.Read(ref _sumMicroseconds) / 1e6;

        /// <summary>Cumulative count at or under <see cref="Buckets"/>[i].</summary>
        public long CountAtOrUnder(int bucket) => Interlocked.Read(ref _counts[bucket]);

        public void Observe(double seconds)
        {
            for (int i = 0; i < Buckets.Length; i++)
                if (seconds <= Buckets[i]) Interlocked.Increment(ref _counts[i]);
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
        }
    }
}
