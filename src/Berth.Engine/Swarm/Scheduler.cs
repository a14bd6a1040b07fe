using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm's scheduler: which node a new task goes to. A node takes new tasks while it is ready and active; the CPU and
/// memory the task reserves must fit in what the node has left after its tasks' reservations; the task's placement
/// constraints and its MaxReplicas per node narrow the choice; among the nodes left the task goes to the group of
/// nodes (by each placement preference's label, in order) holding fewest tasks of its service, then to the node
/// holding fewest tasks of its service, then fewest tasks at all. When no node fits, the task stays pending with
/// swarm's explanation ("no suitable node (...)") and is tried again on the next pass.
/// </summary>
/// <remarks>
/// A task on overlay networks may only go to nodes its overlays reach (see Orchestrator.Overlays.cs: every node with
/// an underlay address of its own), and is told so when none is left.
/// </remarks>
public static class Scheduler
{
    /// <summary>Whether a node takes new tasks at all (ready and active).</summary>
    public static bool TakesNewTasks(SwarmNode node) =>
        node.Status.State == "ready" && (node.Spec["Availability"]?.GetValue<string>() ?? "active") == "active";

    /// <summary>Whether a task already on this node may stay there: the node is up and not drained (a paused node keeps its tasks).</summary>
    public static bool KeepsTasks(SwarmNode? node) =>
        node is not null && node.Status.State == "ready" && node.Spec["Availability"]?.GetValue<string>() != "drain";

    /// <summary>The node for a new task of a service, or null with the reason no node fits.</summary>
    /// <param name="reachable">The nodes the task's overlay networks reach (null: any node).</param>
    public static (SwarmNode? Node, string? Explanation) Pick(JsonObject taskSpec, string serviceId, IReadOnlyList<SwarmNode> nodes,
        IReadOnlyList<SwarmTask> tasks, Func<SwarmNode, bool>? reachable = null)
    {
        var constraints = PlacementConstraint.Of(taskSpec);
        long maxReplicas = taskSpec["Placement"]?["MaxReplicas"]?.GetValue<long>() ?? 0;
        // The tasks each node holds now (those that run or are about to), read once for every check below.
        var held = tasks.Where(t => TaskStates.IsWanted(t) && !string.IsNullOrEmpty(t.NodeID) && !TaskRunner.IsTerminal(t))
            .ToLookup(t => t.NodeID!);
        int OfService(SwarmNode node) => held[node.ID].Count(t => t.ServiceID == serviceId);
        var wants = Reservations(taskSpec);
        int unavailable = 0, unsatisfied = 0, full = 0, networkless = 0, lacking = 0;
        var candidates = new List<SwarmNode>();
        foreach (var node in nodes)
        {
            if (!TakesNewTasks(node)) unavailable++;
            else if (!Fits(wants, node, held[node.ID])) lacking++;
            else if (reachable is not null && !reachable(node)) networkless++;
            else if (!constraints.All(c => c.Matches(node))) unsatisfied++;
            else if (maxReplicas > 0 && OfService(node) >= maxReplicas) full++;
            else candidates.Add(node);
        }
        var spreads = SpreadDescriptors(taskSpec);
        var chosen = candidates
            .OrderBy(n => spreads.Select(d => nodes.Where(o => ValueOf(d, o) == ValueOf(d, n)).Sum(OfService)).ToArray(), ByEach)
            .ThenBy(OfService)
            .ThenBy(n => held[n.ID].Count())
            .ThenBy(n => n.CreatedAt, StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is not null) return (chosen, null);
        var reasons = new List<string>();
        if (unavailable > 0) reasons.Add($"{Nodes(unavailable)} not available for new tasks");
        if (lacking > 0) reasons.Add($"insufficient resources on {Nodes(lacking)}");
        if (networkless > 0) reasons.Add($"the service's overlay networks do not reach {Nodes(networkless)}");
        if (unsatisfied > 0) reasons.Add($"scheduling constraints not satisfied on {Nodes(unsatisfied)}");
        if (full > 0) reasons.Add("max replicas per node limit exceed");
        return (null, $"no suitable node ({string.Join("; ", reasons)})");
    }

    /// <summary>
    /// The nodes a global service runs one task on: those that keep tasks and satisfy its constraints (a paused one
    /// keeps the task it has; the orchestrator starts new ones only where <see cref="TakesNewTasks"/>).
    /// </summary>
    public static IEnumerable<SwarmNode> GlobalNodes(JsonObject taskSpec, IReadOnlyList<SwarmNode> nodes, Func<SwarmNode, bool>? reachable = null)
    {
        var constraints = PlacementConstraint.Of(taskSpec);
        return nodes.Where(n => KeepsTasks(n) && (reachable is null || reachable(n)) && constraints.All(c => c.Matches(n)));
    }

    /// <summary>Placement.Preferences' spread descriptors ("node.labels.zone"), most important first.</summary>
    private static List<string> SpreadDescriptors(JsonObject taskSpec) =>
        taskSpec["Placement"]?["Preferences"] is JsonArray preferences
            ? [.. preferences.Select(p => p?["Spread"]?["SpreadDescriptor"]?.GetValue<string>()).OfType<string>()]
            : [];

    /// <summary>
    /// The value a node has for a spread descriptor: its node or engine label (a node without the label is in a group
    /// of its own with the others that lack it, as swarm groups them).
    /// </summary>
    private static string? ValueOf(string descriptor, SwarmNode node)
    {
        if (descriptor.StartsWith("node.labels.", StringComparison.OrdinalIgnoreCase))
            return SwarmManager.LabelsOf(node.Spec).GetValueOrDefault(descriptor["node.labels.".Length..]);
        if (descriptor.StartsWith("engine.labels.", StringComparison.OrdinalIgnoreCase))
            return node.Description.Engine.Labels?.GetValueOrDefault(descriptor["engine.labels.".Length..]);
        return null;
    }

    /// <summary>Orders count vectors element by element: a group with fewer of the service's tasks under the first preference comes first.</summary>
    private static readonly Comparer<int[]> ByEach = Comparer<int[]>.Create((a, b) =>
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return 0;
    });

    /// <summary>The CPU (nano CPUs) and memory (bytes) a task reserves (Resources.Reservations).</summary>
    private static (long NanoCpus, long Memory) Reservations(JsonObject taskSpec)
    {
        var reservations = taskSpec["Resources"]?["Reservations"];
        return (reservations?["NanoCPUs"]?.GetValue<long>() ?? 0, reservations?["MemoryBytes"]?.GetValue<long>() ?? 0);
    }

    /// <summary>Whether a reservation fits in what the node has left after the reservations of the tasks it holds.</summary>
    private static bool Fits((long NanoCpus, long Memory) wants, SwarmNode node, IEnumerable<SwarmTask> held)
    {
        if (wants is (0, 0)) return true;
        var taken = held.Select(t => Reservations(t.Spec)).ToList();
        return wants.NanoCpus <= node.Description.Resources.NanoCPUs - taken.Sum(r => r.NanoCpus)
            && wants.Memory <= node.Description.Resources.MemoryBytes - taken.Sum(r => r.Memory);
    }

    private static string Nodes(int count) => count == 1 ? "1 node" : $"{count.ToString(CultureInfo.InvariantCulture)} nodes";
}
