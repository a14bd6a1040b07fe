namespace Berth.Engine.Metrics;

/// <summary>
/// What the engine counts for daemon.json's "metrics-addr" (dockerd's metric names): how long container actions take,
/// and how many health checks ran and failed. Counting is always on; it costs an interlocked add per event.
/// </summary>
public sealed class EngineMetrics
{
    public Histogram ContainerActions { get; } = new("action", "changes", "commit", "create", "delete", "start");

    private long _healthChecks;
    private long _healthChecksFailed;

    public long HealthChecks => Interlocked.Read(ref _healthChecks);
    public long HealthChecksFailed => Interlocked.Read(ref _healthChecksFailed);

    public void HealthCheckRan(bool failed)
    {
        Interlocked.Increment(ref _healthChecks);
        if (failed) Interlocked.Increment(ref _healthChecksFailed);
    }
}
