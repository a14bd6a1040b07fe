using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Reply of GET /containers/{id}/json.</summary>
public sealed class ContainerInspect
{
    public string Id { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds (see <see cref="ApiTime"/>).</summary>
    public string Created { get; set; } = "";

    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public ContainerState? State { get; set; } = new();

    public string Image { get; set; } = "";

    public string ResolvConfPath { get; set; } = "";

    public string HostnamePath { get; set; } = "";

    public string HostsPath { get; set; } = "";

    public string LogPath { get; set; } = "";

    /// <summary>With the leading slash: "/web".</summary>
    public string Name { get; set; } = "";

    public int RestartCount { get; set; }

    public string Driver { get; set; } = "";

    public string Platform { get; set; } = "";

    public string MountLabel { get; set; } = "";

    public string ProcessLabel { get; set; } = "";

    public string AppArmorProfile { get; set; } = "";

    public List<string>? ExecIDs { get; set; }

    public HostConfig? HostConfig { get; set; }

    public GraphDriverData GraphDriver { get; set; } = new();

    /// <summary>Only with ?size=true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    /// <summary>Only with ?size=true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public List<MountPoint> Mounts { get; set; } = [];

    public ContainerConfig? Config { get; set; }

    public NetworkSettings? NetworkSettings { get; set; }
}

public sealed class ContainerState
{
    /// <summary>"created", "running", "paused", "restarting", "removing", "exited" or "dead".</summary>
    public string Status { get; set; } = "";

    public bool Running { get; set; }

    public bool Paused { get; set; }

    public bool Restarting { get; set; }

    public bool OOMKilled { get; set; }

    public bool Dead { get; set; }

    public int Pid { get; set; }

    public int ExitCode { get; set; }

    public string Error { get; set; } = "";

    /// <summary>RFC 3339 nano; "0001-01-01T00:00:00Z" when never started.</summary>
    public string StartedAt { get; set; } = ApiTime.Zero;

    public string FinishedAt { get; set; } = ApiTime.Zero;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerHealth? Health { get; set; }
}

public sealed class ContainerHealth
{
    /// <summary>"none", "starting", "healthy" or "unhealthy".</summary>
    public string Status { get; set; } = "";

    public int FailingStreak { get; set; }

    public List<HealthcheckResult>? Log { get; set; }
}

public sealed class HealthcheckResult
{
    public string Start { get; set; } = ApiTime.Zero;

    public string End { get; set; } = ApiTime.Zero;

    public int ExitCode { get; set; }

    public string Output { get; set; } = "";
}

/// <summary>Storage driver details ("GraphDriver": {"Data": {...}, "Name": "overlay2"}).</summary>
public sealed class GraphDriverData
{
    public Dictionary<string, string>? Data { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>Inspect's NetworkSettings: the legacy top-level fields mirror the default bridge endpoint.</summary>
public sealed class NetworkSettings
{
    public string Bridge { get; set; } = "";

    public string SandboxID { get; set; } = "";

    public bool HairpinMode { get; set; }

    public string LinkLocalIPv6Address { get; set; } = "";

    public int LinkLocalIPv6PrefixLen { get; set; }

    public Dictionary<string, List<PortBinding>?>? Ports { get; set; } = [];

    public string SandboxKey { get; set; } = "";

    public List<NetworkAddress>? SecondaryIPAddresses { get; set; }

    public List<NetworkAddress>? SecondaryIPv6Addresses { get; set; }

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string MacAddress { get; set; } = "";

    public Dictionary<string, EndpointSettings>? Networks { get; set; } = [];
}

public sealed class NetworkAddress
{
    public string Addr { get; set; } = "";

    public int PrefixLen { get; set; }
}
