using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>An object's version in the swarm store; updates must name the version they were read at.</summary>
public sealed class ObjectVersion
{
    /// <summary>Left out at 0, as Go's omitempty does (a job's first iteration reads <c>"JobIteration": {}</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Index { get; set; }
}

/// <summary>GET /swarm: the cluster (Docker's ClusterInfo) and, for managers, the join tokens.</summary>
public sealed class SwarmCluster
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = "";

    public string UpdatedAt { get; set; } = "";

    /// <summary>The SwarmSpec as stored (Name, Labels, Orchestration, Raft, Dispatcher, CAConfig, TaskDefaults, EncryptionConfig).</summary>
    public JsonObject Spec { get; set; } = [];

    public TlsInfo TLSInfo { get; set; } = new();

    public bool RootRotationInProgress { get; set; }

    public List<string>? DefaultAddrPool { get; set; }

    public uint SubnetSize { get; set; }

    public uint DataPathPort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JoinTokens? JoinTokens { get; set; }
}

public sealed class JoinTokens
{
    public string Worker { get; set; } = "";

    public string Manager { get; set; } = "";
}

public sealed class TlsInfo
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? TrustRoot { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? CertIssuerSubject { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? CertIssuerPublicKey { get; set; }
}

/// <summary>POST /swarm/init.</summary>
public sealed class SwarmInitRequest
{
    public string ListenAddr { get; set; } = "";

    public string AdvertiseAddr { get; set; } = "";

    public string DataPathAddr { get; set; } = "";

    public uint DataPathPort { get; set; }

    public List<string>? DefaultAddrPool { get; set; }

    public bool ForceNewCluster { get; set; }

    public uint SubnetSize { get; set; }

    public JsonObject? Spec { get; set; }
}

/// <summary>POST /swarm/join.</summary>
public sealed class SwarmJoinRequest
{
    public string ListenAddr { get; set; } = "";

    public string AdvertiseAddr { get; set; } = "";

    public string DataPathAddr { get; set; } = "";

    public List<string>? RemoteAddrs { get; set; }

    public string JoinToken { get; set; } = "";

    /// <summary>"active", "pause" or "drain": the node's availability once joined (empty: active).</summary>
    public string Availability { get; set; } = "";
}

/// <summary>GET /swarm/unlockkey.</summary>
public sealed class SwarmUnlockKeyResponse
{
    public string UnlockKey { get; set; } = "";
}
