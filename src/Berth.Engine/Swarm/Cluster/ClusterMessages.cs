using System.Text.Json.Serialization;
using Berth.Api;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>The first line a worker sends on each connection it opens to the manager: what the connection is for.</summary>
public sealed class ClusterHello
{
    /// <summary>"ca" asks for the swarm's CA (no proof needed: the joining worker checks it against its token's digest).</summary>
    public const string RootCA = "ca", Join = "join", Control = "control", Tunnel = "tunnel", Leave = "leave";

    public string Kind { get; set; } = "";

    /// <summary>join: the token the user gave.</summary>
    public string? Token { get; set; }

    /// <summary>join: what the worker is (hostname, platform, resources, engine).</summary>
    public NodeDescription? Description { get; set; }

    /// <summary>join: the address the worker asked to be known by (empty: the address its connection comes from).</summary>
    public string? AdvertiseAddr { get; set; }

    /// <summary>join: the node's availability at join ("active" when empty).</summary>
    public string? Availability { get; set; }

    /// <summary>control, tunnel, leave: who the worker is, and its proof.</summary>
    public string? NodeID { get; set; }

    public string? NodeSecret { get; set; }
}

/// <summary>The manager's one-line answer to a hello.</summary>
public sealed class ClusterReply
{
    /// <summary>Why the manager refused (empty when it accepted), and the HTTP status the worker's API answers with.</summary>
    public string? Error { get; set; }

    public int Status { get; set; }

    /// <summary>The node was removed from the swarm (node rm --force): the worker leaves on its side.</summary>
    public bool Removed { get; set; }

    public string? NodeID { get; set; }

    public string? NodeSecret { get; set; }

    public string? NodeAddr { get; set; }

    public string? ClusterID { get; set; }

    public string? TrustRoot { get; set; }

    public List<SwarmPeer>? Managers { get; set; }
}

/// <summary>A heartbeat on the control connection (and its answer, which says how often the manager expects one).</summary>
public sealed class ClusterHeartbeat
{
    public long PeriodMilliseconds { get; set; }
}

/// <summary>What a worker keeps of its swarm across restarts (under the swarm directory, readable by root only).</summary>
public sealed class WorkerMembership
{
    public string ClusterID { get; set; } = "";

    public string NodeID { get; set; } = "";

    public string NodeSecret { get; set; } = "";

    /// <summary>The address the manager sees this node at.</summary>
    public string NodeAddr { get; set; } = "";

    /// <summary>The swarm's CA, pinned at join: every later connection must present a certificate it signed.</summary>
    public string TrustRoot { get; set; } = "";

    public List<SwarmPeer> Managers { get; set; } = [];

    /// <summary>The address the join dialled, tried after the managers' own addresses.</summary>
    public string JoinAddr { get; set; } = "";
}

/// <summary>A worker's proof of identity as the manager keeps it: only the SHA-256 of the secret it handed out.</summary>
public sealed class NodeCredential
{
    public string NodeID { get; set; } = "";

    public string SecretSha256 { get; set; } = "";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterHello))]
[JsonSerializable(typeof(ClusterReply))]
[JsonSerializable(typeof(ClusterHeartbeat))]
[JsonSerializable(typeof(WorkerMembership))]
[JsonSerializable(typeof(NodeCredential))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
