using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>GET /services/{id}.</summary>
public sealed class SwarmService
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = "";

    public string UpdatedAt { get; set; } = "";

    /// <summary>The ServiceSpec as the client sent it (Docker echoes it), with the defaults Docker fills in.</summary>
    public JsonObject Spec { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? PreviousSpec { get; set; }

    public ServiceEndpoint Endpoint { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServiceUpdateStatus? UpdateStatus { get; set; }

    /// <summary>Only with ?status=true (API 1.41+).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServiceStatus? ServiceStatus { get; set; }

    /// <summary>Only on job-mode services (ReplicatedJob, GlobalJob).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServiceJobStatus? JobStatus { get; set; }
}

/// <summary>Which run of a job is current: every update of a job's spec starts a new iteration.</summary>
public sealed class ServiceJobStatus
{
    public ObjectVersion JobIteration { get; set; } = new();

    /// <summary>When the current iteration started.</summary>
    public string LastExecution { get; set; } = "";
}

public sealed class ServiceEndpoint
{
    /// <summary>The EndpointSpec (Mode, Ports).</summary>
    public JsonObject Spec { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EndpointPortConfig>? Ports { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EndpointVirtualIp>? VirtualIPs { get; set; }
}

public sealed class EndpointPortConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Name { get; set; }

    public string Protocol { get; set; } = "tcp";

    public uint TargetPort { get; set; }

    public uint PublishedPort { get; set; }

    public string PublishMode { get; set; } = "ingress";
}

public sealed class EndpointVirtualIp
{
    public string NetworkID { get; set; } = "";

    public string Addr { get; set; } = "";
}

public sealed class ServiceUpdateStatus
{
    /// <summary>"updating", "paused", "completed", "rollback_started", "rollback_paused", "rollback_completed".</summary>
    public string State { get; set; } = "";

    public string StartedAt { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? CompletedAt { get; set; }

    public string Message { get; set; } = "";
}

public sealed class ServiceStatus
{
    public ulong RunningTasks { get; set; }

    public ulong DesiredTasks { get; set; }

    public ulong CompletedTasks { get; set; }
}

/// <summary>POST /services/create: {"ID": "..."} (Docker's capital D), with warnings only when there are some.</summary>
public sealed class ServiceCreateResponse
{
    public string ID { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }
}

/// <summary>POST /services/{id}/update.</summary>
public sealed class ServiceUpdateResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }
}
