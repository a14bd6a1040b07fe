namespace Berth.Compose.Model;

/// <summary>
/// A service's <c>deploy</c> section beyond the resources and replicas every container takes (those are read into
/// <see cref="ServiceConfig"/>): what a swarm stack needs to make the service.
/// </summary>
public sealed record DeployConfig
{
    /// <summary>replicated (the default) or global.</summary>
    public string? Mode { get; init; }
    /// <summary>The service's labels (the containers' are the service's own <c>labels</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>vip or dnsrr.</summary>
    public string? EndpointMode { get; init; }
    public double? ReservationCpus { get; init; }
    public IReadOnlyList<string> PlacementConstraints { get; init; } = [];
    public DeployRestartPolicy? RestartPolicy { get; init; }
    public DeployUpdateConfig? UpdateConfig { get; init; }
    public DeployUpdateConfig? RollbackConfig { get; init; }
}

public sealed record DeployRestartPolicy
{
    /// <summary>none, on-failure or any.</summary>
    public string? Condition { get; init; }
    public TimeSpan? Delay { get; init; }
    public long? MaxAttempts { get; init; }
    public TimeSpan? Window { get; init; }
}

public sealed record DeployUpdateConfig
{
    public long? Parallelism { get; init; }
    public TimeSpan? Delay { get; init; }
    public string? FailureAction { get; init; }
    public TimeSpan? Monitor { get; init; }
    public double? MaxFailureRatio { get; init; }
    /// <summary>stop-first or start-first.</summary>
    public string? Order { get; init; }
}
