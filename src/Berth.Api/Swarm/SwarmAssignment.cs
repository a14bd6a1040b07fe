namespace Berth.Api;

/// <summary>
/// What a swarm manager sends a worker node (POST /_swarm/assignments through the node's tunnel): every task the
/// node holds, with the services, secrets and configs those tasks need. The worker makes its containers match.
/// </summary>
public sealed class SwarmAssignment
{
    public List<SwarmTask> Tasks { get; set; } = [];

    /// <summary>The services of the tasks (their names, specs and published ports).</summary>
    public List<SwarmService> Services { get; set; } = [];

    /// <summary>The secrets the tasks reference, with their data.</summary>
    public List<SwarmSecret> Secrets { get; set; } = [];

    public List<SwarmSecret> Configs { get; set; } = [];

    /// <summary>The overlays the tasks join: each network as the manager defined it, and who else is on it.</summary>
    public List<SwarmOverlayAssignment> Networks { get; set; } = [];
}

/// <summary>One overlay as a worker needs it: its definition, the other nodes to tunnel to, and the other nodes' task endpoints.</summary>
public sealed class SwarmOverlayAssignment
{
    public string ID { get; set; } = "";
    public string Name { get; set; } = "";
    public string Created { get; set; } = "";
    public string Subnet { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string? IPRange { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Underlay addresses of the other nodes holding tasks on the network (the manager always).</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>The swarm's VXLAN port.</summary>
    public int DataPathPort { get; set; }

    /// <summary>Task containers of the network on other nodes, for this node's embedded DNS.</summary>
    public List<SwarmOverlayEndpoint> Endpoints { get; set; } = [];
}

public sealed class SwarmOverlayEndpoint
{
    public List<string> Names { get; set; } = [];
    public string Address { get; set; } = "";
}

/// <summary>A worker's answer to an assignment: what became of each of its tasks.</summary>
public sealed class SwarmTaskReport
{
    public List<SwarmTaskReportEntry> Tasks { get; set; } = [];
}

public sealed class SwarmTaskReportEntry
{
    public string TaskID { get; set; } = "";

    public SwarmTaskStatus Status { get; set; } = new();

    public List<TaskNetworkAttachment>? NetworksAttachments { get; set; }
}
