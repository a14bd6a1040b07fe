using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>GET /tasks/{id}: one run of a service's container in a slot (or on a node, for global services).</summary>
public sealed class SwarmTask
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = "";

    public string UpdatedAt { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Name { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The service's TaskTemplate at the time the task was made.</summary>
    public JsonObject Spec { get; set; } = [];

    public string ServiceID { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Slot { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? NodeID { get; set; }

    public SwarmTaskStatus Status { get; set; } = new();

    /// <summary>"running", "shutdown", "ready" ... (Docker's TaskState).</summary>
    public string DesiredState { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<TaskNetworkAttachment>? NetworksAttachments { get; set; }

    /// <summary>A job's task: the iteration of the job it runs for (null for tasks of replicated and global services).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ObjectVersion? JobIteration { get; set; }
}

public sealed class SwarmTaskStatus
{
    public string Timestamp { get; set; } = "";

    /// <summary>new, allocated, pending, assigned, accepted, preparing, ready, starting, running, complete, shutdown, failed, rejected, remove, orphaned.</summary>
    public string State { get; set; } = "";

    public string Message { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Err { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskContainerStatus? ContainerStatus { get; set; }

    public JsonObject PortStatus { get; set; } = [];
}

public sealed class TaskContainerStatus
{
    public string ContainerID { get; set; } = "";

    public int PID { get; set; }

    public int ExitCode { get; set; }
}

public sealed class TaskNetworkAttachment
{
    public JsonObject Network { get; set; } = [];

    public List<string> Addresses { get; set; } = [];
}
