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
