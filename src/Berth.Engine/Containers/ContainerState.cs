namespace Berth.Engine.Containers;

/// <summary>A container's lifecycle state, persisted with it (Docker's State object).</summary>
public sealed class ContainerState
{
    public string Status { get; set; } = "created";
    public bool Running => Status is "running" or "paused" or "restarting";
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public bool RemovalInProgress { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>State.Health: present once a container with a health check has started.</summary>
    public Health.HealthState? Health { get; set; }
}
