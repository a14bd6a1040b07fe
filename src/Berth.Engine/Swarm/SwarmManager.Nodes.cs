using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Swarm.Cluster;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>The swarm's nodes: this manager and the workers that joined it, their state and their changes.</summary>
public sealed partial class SwarmManager : IClusterMembers
{
    private const string HeartbeatFailure = "heartbeat failure";

    public IReadOnlyList<SwarmNode> ListNodes() => _store.Active ? _store.Nodes : throw SwarmErrors.NotManager();

    /// <summary>A node by ID, hostname or ID prefix, in that order, as dockerd resolves one ("self" too, as Docker's CLI resolves it to the ID first).</summary>
    public SwarmNode GetNode(string idOrName)
    {
        var nodes = ListNodes();
        if (nodes.FirstOrDefault(n => n.ID == idOrName) is { } byId) return byId;
        var matches = nodes.Where(n => NameOf(n) == idOrName).ToList();
        if (matches.Count == 0 && idOrName.Length > 0) matches = [.. nodes.Where(n => n.ID.StartsWith(idOrName, StringComparison.Ordinal))];
        return matches.Count switch
        {
            0 => throw BerthException.NotFound($"node {idOrName} not found"),
            1 => matches[0],
            _ => throw BerthException.Invalid($"node {idOrName} is ambiguous ({matches.Count} matches found)"),
        };
    }

    public void UpdateNode(string idOrName, ulong version, JsonObject spec)
    {
        var node = GetNode(idOrName);
        if (node.Version.Index != version) throw OutOfSequence();
        string role = spec["Role"]?.GetValue<string>() ?? "";
        string availability = spec["Availability"]?.GetValue<string>() ?? "";
        if (role is not ("manager" or "worker")) throw SwarmErrors.Invalid($"invalid role \"{role}\"");
        if (availability is not ("active" or "pause" or "drain")) throw SwarmErrors.Invalid($"invalid availability \"{availability}\"");
        bool self = node.ID == NodeId;
        if (self && role == "worker")
            throw BerthException.Invalid("rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm");
        if (!self && role == "manager") throw BerthException.NotImplemented("berthd swarms have a single manager");
        string oldAvailability = node.Spec["Availability"]?.GetValue<string>() ?? "";
        _store.EditNode(node.ID, n => n.Spec = (JsonObject)spec.DeepClone());
        var attributes = new Dictionary<string, string> { ["name"] = NameOf(node) };
        if (oldAvailability != availability)
        {
            attributes["availability.old"] = oldAvailability;
            attributes["availability.new"] = availability;
        }
        _events.Publish("node", "update", node.ID, attributes);
        Orchestrator.Kick();
    }

    public void RemoveNode(string idOrName, bool force)
    {
        var node = GetNode(idOrName);
        if (node.ID == NodeId)
            throw BerthException.Invalid($"rpc error: code = FailedPrecondition desc = node {node.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal");
        if (!force && node.Status.State == "ready")
            throw BerthException.Invalid($"rpc error: code = FailedPrecondition desc = node {node.ID} is not down and can't be removed");
        _server?.Disconnect(node.ID);
        _store.RemoveWorkerNode(node.ID);
        _events.Publish("node", "remove", node.ID, new Dictionary<string, string> { ["name"] = NameOf(node) });
        Orchestrator.Kick();
    }

    /// <summary>Whether the orchestrator may place tasks on this node ("pause" keeps the running ones, "drain" stops them).</summary>
    internal string Availability => _store.Node?.Spec["Availability"]?.GetValue<string>() ?? "active";

    /// <summary>This node's ID: the manager's own node, or on a worker the ID the manager gave it.</summary>
    internal string NodeId => _store.Node?.ID ?? _store.Worker?.NodeID ?? "";

    /// <summary>A spec's Labels member as a dictionary (the label filters read it).</summary>
    public static Dictionary<string, string> LabelsOf(JsonObject spec) =>
        spec["Labels"] is JsonObject labels
            ? labels.Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.ToString())
            : [];

    private static string NameOf(SwarmNode node) =>
        node.Spec["Name"]?.GetValue<string>() is { Length: > 0 } name ? name : node.Description.Hostname;

    TimeSpan IClusterMembers.HeartbeatPeriod =>
        _store.Cluster?.Spec["Dispatcher"]?["HeartbeatPeriod"]?.GetValue<long>() is long nanoseconds and > 0
            ? TimeSpan.FromTicks(nanoseconds / 100)
            : TimeSpan.FromSeconds(5);

    ClusterReply IClusterMembers.Join(ClusterHello hello, string remoteAddress)
    {
        var cluster = _store.Cluster;
        var self = _store.Node;
        if (cluster is null || self is null) return new ClusterReply { Error = "This node is not a swarm manager.", Status = 503 };
        string token = hello.Token ?? "";
        if (SameText(token, cluster.JoinTokens!.Manager)) return new ClusterReply { Error = SwarmErrors.SingleManager().Message, Status = 501 };
        if (!SameText(token, cluster.JoinTokens.Worker)) return new ClusterReply { Error = SwarmErrors.InvalidJoinToken().Message, Status = 400 };
        string availability = hello.Availability is "pause" or "drain" ? hello.Availability : "active";
        string address = AdvertisedHost(hello.AdvertiseAddr) ?? remoteAddress;
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var description = hello.Description ?? new NodeDescription();
        description.TLSInfo = cluster.TLSInfo;
        var node = _store.AddWorkerNode(new SwarmNode
        {
            ID = SwarmIds.NewId(),
            Spec = new JsonObject { ["Labels"] = new JsonObject(), ["Role"] = "worker", ["Availability"] = availability },
            Description = description,
            Status = new NodeStatus { State = "ready", Addr = address },
        }, Sha256Hex(secret));
        _events.Publish("node", "create", node.ID, new Dictionary<string, string> { ["name"] = NameOf(node) });
        Orchestrator.Kick();
        return new ClusterReply
        {
            NodeID = node.ID, NodeSecret = secret, NodeAddr = address, ClusterID = cluster.ID, TrustRoot = cluster.TLSInfo.TrustRoot,
            Managers = [new SwarmPeer { NodeID = self.ID, Addr = self.ManagerStatus?.Addr ?? "" }],
        };
    }

    ClusterReply? IClusterMembers.Authenticate(string nodeId, string secret)
    {
        if (!_store.Active) return new ClusterReply { Error = "This node is not a swarm manager.", Status = 503 };
        var credential = _store.TryGetCredential(nodeId);
        // Only a removal makes a node that has a secret unknown (its swarm and CA are the ones it pinned).
        if (credential is null) return new ClusterReply { Error = $"node {nodeId} was removed from the swarm", Status = 404, Removed = true };
        if (!SameText(Sha256Hex(secret), credential.SecretSha256)) return new ClusterReply { Error = "invalid node credentials", Status = 403 };
        return null;
    }

    void IClusterMembers.Connected(string nodeId) => SetNodeState(nodeId, "ready", null);

    void IClusterMembers.Disconnected(string nodeId, string message) => SetNodeState(nodeId, "down", message);

    void IClusterMembers.Left(string nodeId) => SetNodeState(nodeId, "down", HeartbeatFailure);

    IReadOnlyList<string> IClusterMembers.ReadyWorkers() =>
        [.. _store.Nodes.Where(n => n.ID != NodeId && n.Status.State == "ready").Select(n => n.ID)];

    /// <summary>A worker's status changes: stored, announced as dockerd announces it, and the scheduler woken.</summary>
    private void SetNodeState(string nodeId, string state, string? message)
    {
        var node = _store.TryGetNode(nodeId);
        if (node is null || node.ID == NodeId || node.Status.State == state) return;
        string old = node.Status.State;
        _store.EditNode(nodeId, n =>
        {
            n.Status.State = state;
            n.Status.Message = message;
        });
        _events.Publish("node", "update", nodeId, new Dictionary<string, string>
        {
            ["name"] = NameOf(node), ["state.old"] = old, ["state.new"] = state,
        });
        Orchestrator.Kick();
    }

    /// <summary>The host of a worker's advertise address, if it names a usable one.</summary>
    private static string? AdvertisedHost(string? advertise)
    {
        if (string.IsNullOrEmpty(advertise)) return null;
        string host = ClusterDialer.SplitHostPort(advertise).Host;
        return System.Net.IPAddress.TryParse(host, out var ip) && (ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any)) ? null : host;
    }

    private static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
