using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Reply of GET /info.</summary>
public sealed class SystemInfo
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";

    public int Containers { get; set; }

    public int ContainersRunning { get; set; }

    public int ContainersPaused { get; set; }

    public int ContainersStopped { get; set; }

    public int Images { get; set; }

    public string Driver { get; set; } = "";

    /// <summary>Pairs of [name, value].</summary>
    public List<List<string>>? DriverStatus { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<List<string>>? SystemStatus { get; set; }

    public PluginsInfo Plugins { get; set; } = new();

    public bool MemoryLimit { get; set; }

    public bool SwapLimit { get; set; }

    /// <summary>Deprecated (cgroup v1 kernel memory); omitted when false as Docker 28 does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KernelMemory { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KernelMemoryTCP { get; set; }

    public bool CpuCfsPeriod { get; set; }

    public bool CpuCfsQuota { get; set; }

    [JsonPropertyName("CPUShares")]
    public bool CPUShares { get; set; }

    [JsonPropertyName("CPUSet")]
    public bool CPUSet { get; set; }

    public bool PidsLimit { get; set; }

    public bool IPv4Forwarding { get; set; }

    public bool BridgeNfIptables { get; set; }

    public bool BridgeNfIp6tables { get; set; }

    public bool Debug { get; set; }

    public int NFd { get; set; }

    public bool OomKillDisable { get; set; }

    public int NGoroutines { get; set; }

    /// <summary>RFC 3339 nano.</summary>
    public string SystemTime { get; set; } = ApiTime.Zero;

    public string LoggingDriver { get; set; } = "";

    /// <summary>"cgroupfs", "systemd" or "none".</summary>
    public string CgroupDriver { get; set; } = "";

    /// <summary>"1" or "2".</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CgroupVersion { get; set; }

    public int NEventsListener { get; set; }

    public string KernelVersion { get; set; } = "";

    public string OperatingSystem { get; set; } = "";

    [JsonPropertyName("OSVersion")]
    public string OSVersion { get; set; } = "";

    [JsonPropertyName("OSType")]
    public string OSType { get; set; } = "";

    public string Architecture { get; set; } = "";

    public string IndexServerAddress { get; set; } = "";

    public RegistryServiceConfig? RegistryConfig { get; set; }

    [JsonPropertyName("NCPU")]
    public int NCPU { get; set; }

    public long MemTotal { get; set; }

    public List<JsonElement>? GenericResources { get; set; }

    public string DockerRootDir { get; set; } = "";

    public string HttpProxy { get; set; } = "";

    public string HttpsProxy { get; set; } = "";

    public string NoProxy { get; set; } = "";

    public string Name { get; set; } = "";

    public List<string>? Labels { get; set; } = [];

    public bool ExperimentalBuild { get; set; }

    public string ServerVersion { get; set; } = "";

    public Dictionary<string, RuntimeInfo>? Runtimes { get; set; }

    public string DefaultRuntime { get; set; } = "";

    public SwarmInfo Swarm { get; set; } = new();

    public bool LiveRestoreEnabled { get; set; }

    public string Isolation { get; set; } = "";

    public string InitBinary { get; set; } = "";

    public CommitInfo ContainerdCommit { get; set; } = new();

    public CommitInfo RuncCommit { get; set; } = new();

    public CommitInfo InitCommit { get; set; } = new();

    public List<string>? SecurityOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProductLicense { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NetworkAddressPool>? DefaultAddressPools { get; set; }

    /// <summary>API 1.49+: "iptables" or "nftables".</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirewallBackend { get; set; }

    /// <summary>API 1.46+: CDI spec directories.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? CDISpecDirs { get; set; }

    public List<string>? Warnings { get; set; }
}

public sealed class PluginsInfo
{
    public List<string>? Volume { get; set; }

    public List<string>? Network { get; set; }

    public List<string>? Authorization { get; set; }

    public List<string>? Log { get; set; }
}

/// <summary>A runtime in /info "Runtimes" (lower-case names, omitempty).</summary>
public sealed class RuntimeInfo
{
    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; set; }

    [JsonPropertyName("runtimeArgs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? RuntimeArgs { get; set; }

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Status { get; set; }
}

/// <summary>Swarm state: "inactive" until the node inits or joins a swarm.</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";

    public string NodeAddr { get; set; } = "";

    /// <summary>"", "inactive", "pending", "active", "error" or "locked".</summary>
    public string LocalNodeState { get; set; } = "inactive";

    public bool ControlAvailable { get; set; }

    public string Error { get; set; } = "";

    public List<SwarmPeer>? RemoteManagers { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Nodes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Managers { get; set; }

    /// <summary>The cluster, on managers (without its join tokens).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwarmCluster? Cluster { get; set; }
}

public sealed class SwarmPeer
{
    public string NodeID { get; set; } = "";

    public string Addr { get; set; } = "";
}

public sealed class CommitInfo
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";

    public string Expected { get; set; } = "";
}

public sealed class RegistryServiceConfig
{
    /// <summary>Removed in API 1.49; kept for older clients, left out when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? AllowNondistributableArtifactsCIDRs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? AllowNondistributableArtifactsHostnames { get; set; }

    public List<string>? InsecureRegistryCIDRs { get; set; } = [];

    public Dictionary<string, IndexInfo>? IndexConfigs { get; set; } = [];

    public List<string>? Mirrors { get; set; } = [];
}

public sealed class IndexInfo
{
    public string Name { get; set; } = "";

    public List<string>? Mirrors { get; set; } = [];

    public bool Secure { get; set; }

    public bool Official { get; set; }
}

public sealed class NetworkAddressPool
{
    public string Base { get; set; } = "";

    public int Size { get; set; }
}
