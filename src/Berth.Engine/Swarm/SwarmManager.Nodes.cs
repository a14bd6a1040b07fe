using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

public sealed partial class SwarmManager
{
    public IReadOnlyList<SwarmNode> ListNodes() => [_store.Node ?? throw SwarmErrors.NotManager()];

    /// <summary>A node by ID, ID prefix or hostname ("self" too, as Docker's CLI resolves it to the ID first).</summary>
    public SwarmNode GetNode(string idOrName)
    {
        var node = _store.Node ?? throw SwarmErrors.NotManager();
        if (node.ID == idOrName || node.Description.Hostname == idOrName || (idOrName.Length > 0 && node.ID.StartsWith(idOrName, StringComparison.Ordinal)))
            return node;
        throw BerthException.NotFound($"node {idOrName} not found");
    }

    public void UpdateNode(string idOrName, ulong version, JsonObject spec)
    {
        var node = GetNode(idOrName);
        if (node.Version.Index != version) throw OutOfSequence();
        string role = spec["Role"]?.GetValue<string>() ?? "";
        string availability = spec["Availability"]?.GetValue<string>() ?? "";
        if (role is not ("manager" or "worker")) throw SwarmErrors.Invalid($"invalid role \"{role}\"");
        if (availability is not ("active" or "pause" or "drain")) throw SwarmErrors.Invalid($"invalid availability \"{availability}\"");
        if (role == "worker")
            throw BerthException.Invalid("rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm");
        _store.EditNode(n => n.Spec = (JsonObject)spec.DeepClone());
        Orchestrator.Kick();
    }

    public void RemoveNode(string idOrName, bool force)
    {
        var node = GetNode(idOrName);
        throw BerthException.Invalid($"rpc error: code = FailedPrecondition desc = node {node.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal");
    }

    /// <summary>Whether the orchestrator may place tasks on this node ("pause" keeps the running ones, "drain" stops them).</summary>
    internal string Availability => _store.Node?.Spec["Availability"]?.GetValue<string>() ?? "active";

    internal string NodeId => _store.Node?.ID ?? "";

    /// <summary>A spec's Labels member as a dictionary (the label filters read it).</summary>
    public static Dictionary<string, string> LabelsOf(JsonObject spec) =>
        spec["Labels"] is JsonObject labels
            ? labels.Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.ToString())
            : [];
}
