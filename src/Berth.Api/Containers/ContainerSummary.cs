using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>One item of GET /containers/json.</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";

    /// <summary>Names with the leading slash ("/web"), links included ("/other/alias").</summary>
    public List<string> Names { get; set; } = [];

    public string Image { get; set; } = "";

    public string ImageID { get; set; } = "";

    public string Command { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public List<Port> Ports { get; set; } = [];

    /// <summary>Only with ?size=true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    /// <summary>Only with ?size=true (and in /system/df).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public Dictionary<string, string>? Labels { get; set; } = [];

    /// <summary>"created", "running", "paused", "restarting", "removing", "exited" or "dead".</summary>
    public string State { get; set; } = "";

    /// <summary>Human text: "Up 5 minutes", "Exited (0) 2 hours ago".</summary>
    public string Status { get; set; } = "";

    public ContainerSummaryHostConfig HostConfig { get; set; } = new();

    public ContainerSummaryNetworkSettings? NetworkSettings { get; set; } = new();

    public List<MountPoint> Mounts { get; set; } = [];
}

public sealed class ContainerSummaryHostConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NetworkMode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class ContainerSummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings>? Networks { get; set; } = [];
}
