using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>GET /nodes/{id}: a machine of the swarm.</summary>
public sealed class SwarmNode
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = "";

    public string UpdatedAt { get; set; } = "";

    /// <summary>The NodeSpec (Name, Labels, Role, Availability).</summary>
    public JsonObject Spec { get; set; } = [];

    public NodeDescription Description { get; set; } = new();

    public NodeStatus Status { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManagerStatus? ManagerStatus { get; set; }
}

public sealed class NodeDescription
{
    public string Hostname { get; set; } = "";

    public NodePlatform Platform { get; set; } = new();

    public NodeResources Resources { get; set; } = new();

    public EngineDescription Engine { get; set; } = new();

    public TlsInfo TLSInfo { get; set; } = new();
}

public sealed class NodePlatform
{
    public string Architecture { get; set; } = "";

    public string OS { get; set; } = "";
}

public sealed class NodeResources
{
    public long NanoCPUs { get; set; }

    public long MemoryBytes { get; set; }
}

public sealed class EngineDescription
{
    public string EngineVersion { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Labels { get; set; }

    public List<EnginePlugin> Plugins { get; set; } = [];
}

public sealed class EnginePlugin
{
    public string Type { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class NodeStatus
{
    /// <summary>"unknown", "down", "ready" or "disconnected".</summary>
    public string State { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Message { get; set; }

    public string Addr { get; set; } = "";
}

public sealed class ManagerStatus
{
    public bool Leader { get; set; }

    /// <summary>"unknown", "unreachable" or "reachable".</summary>
    public string Reachability { get; set; } = "";

    public string Addr { get; set; } = "";
}
