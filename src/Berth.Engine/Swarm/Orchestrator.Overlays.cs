using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Networks;

namespace Berth.Engine.Swarm;

/// <summary>
/// The manager's side of overlays that span nodes (see NetworkService.OverlayNodes.cs). On every pass it gives each
/// task bound for another node an address on each of its overlays (swarm's allocator: addresses are handed out here,
/// once, from the network's one pool), holds the addresses of other nodes' tasks in this node's allocator, points
/// this node's VXLAN devices at the nodes that hold tasks on each overlay, and tells the embedded DNS the other nodes'
/// task endpoints. Each worker's assignment carries the same facts for it (<see cref="OverlaysFor"/>).
/// </summary>
/// <remarks>
/// A node is reached by VXLAN at the address the manager sees it at. Two daemons on one host share that address (and
/// the VXLAN port), so a worker whose address is the manager's own gets no overlay tasks.
/// </remarks>
public sealed partial class Orchestrator
{
    /// <summary>The nodes a task's overlays reach; null when the task joins no overlay (any node will do).</summary>
    private Func<SwarmNode, bool>? OverlayReachFor(JsonObject serviceSpec, JsonObject taskSpec)
    {
        if (TaskNetworks.Of(serviceSpec, taskSpec).Count == 0) return null;
        string own = UnderlayOf(_store.TryGetNode(_manager.NodeId));
        return node => node.ID == _manager.NodeId || (UnderlayOf(node) is { Length: > 0 } address && address != own);
    }

    /// <summary>The swarm's VXLAN port (swarm init --data-path-port).</summary>
    private int DataPathPort => (int)(_store.Cluster?.DataPathPort ?? 0) is > 0 and var port ? port : NetworkService.DefaultDataPathPort;

    private static string UnderlayOf(SwarmNode? node) => node?.Status.Addr ?? "";

    /// <summary>One pass's overlay work on the manager; the tasks' networks are read from their specs.</summary>
    private void SyncOverlays()
    {
        if (Networks is not { } networks) return;
        foreach (var (task, networkIds) in LiveNetworkTasks().Where(l => !IsLocal(l.Task)))
            AssignAddresses(networks, task, networkIds);
        // Read again: the tasks just given addresses were replaced in the store.
        var live = LiveNetworkTasks();
        var held = new Dictionary<string, HashSet<IPAddress>>(StringComparer.Ordinal);
        foreach (var (task, _) in live.Where(l => !IsLocal(l.Task)))
            foreach (var (networkId, address) in AddressesOf(task))
                (held.TryGetValue(networkId, out var set) ? set : held[networkId] = []).Add(address);
        networks.HoldRemoteAddresses(held);
        foreach (var network in networks.List().Where(n => n.IsOverlay))
            networks.SetOverlayPeers(network.Id, PeersOf(live, network.Id, _manager.NodeId), DataPathPort);
        networks.SetRemoteEndpoints(networks.List().Where(n => n.IsOverlay)
            .ToDictionary(n => n.Id, n => (IReadOnlyList<RemoteEndpoint>)[.. EndpointsOf(n.Id, _manager.NodeId)
                .Select(e => new RemoteEndpoint(e.Names, IPAddress.Parse(e.Address)))]));
    }

    /// <summary>A worker's overlays: those its tasks join, each with the other nodes on it and their task endpoints.</summary>
    private List<SwarmOverlayAssignment> OverlaysFor(string nodeId, IEnumerable<SwarmTask> tasks)
    {
        if (Networks is not { } networks) return [];
        var ids = tasks.Where(t => TaskStates.IsWanted(t) && !IsTerminal(t))
            .SelectMany(t => NetworkIdsOf(t)).Distinct(StringComparer.Ordinal);
        var live = LiveNetworkTasks();
        var result = new List<SwarmOverlayAssignment>();
        foreach (var id in ids)
        {
            if (networks.TryGet(id) is not { IsOverlay: true } network) continue;
            result.Add(new SwarmOverlayAssignment
            {
                ID = network.Id, Name = network.Name, Created = ApiTime.Format(network.Created),
                Subnet = network.Subnet ?? "", Gateway = network.Gateway ?? "", IPRange = network.IpRange,
                Internal = network.Internal, Attachable = network.Attachable,
                Options = new Dictionary<string, string>(network.Options), Labels = new Dictionary<string, string>(network.Labels),
                // The manager always carries the network's bridge, so it is always a peer.
                Peers = [.. PeersOf(live, network.Id, nodeId).Append(IPAddress.TryParse(UnderlayOf(_store.TryGetNode(_manager.NodeId)), out var own) ? own : null)
                    .OfType<IPAddress>().Distinct().Select(a => a.ToString())],
                Endpoints = EndpointsOf(network.Id, nodeId),
                DataPathPort = DataPathPort,
            });
        }
        return result;
    }

    /// <summary>Tasks that run or are about to, with the overlays they join.</summary>
    private List<(SwarmTask Task, IReadOnlyList<string> NetworkIds)> LiveNetworkTasks() =>
        [.. _store.Tasks.Where(t => TaskStates.IsWanted(t) && !IsTerminal(t) && !string.IsNullOrEmpty(t.NodeID))
            .Select(t => (t, NetworkIdsOf(t))).Where(p => p.Item2.Count > 0)];

    private IReadOnlyList<string> NetworkIdsOf(SwarmTask task) =>
        _store.TryGetService(task.ServiceID) is { } service ? [.. TaskNetworks.Of(service.Spec, task.Spec).Select(n => n.Target)] : [];

    /// <summary>Gives a task bound for another node an address on each overlay it lacks one on.</summary>
    private void AssignAddresses(NetworkService networks, SwarmTask task, IReadOnlyList<string> networkIds)
    {
        var have = AddressesOf(task).Select(a => a.NetworkId).ToHashSet(StringComparer.Ordinal);
        var missing = networkIds.Where(id => !have.Contains(id) && networks.TryGet(id) is { IsOverlay: true }).ToList();
        if (missing.Count == 0) return;
        var added = missing.Select(id =>
        {
            var network = networks.Get(id);
            var address = networks.AllocateRemote(id);
            int prefix = network.Addressing().Subnet.PrefixLength;
            return new TaskNetworkAttachment
            {
                Network = TaskNetworks.SwarmNetwork(network),
                Addresses = [$"{address}/{prefix.ToString(CultureInfo.InvariantCulture)}"],
            };
        }).ToList();
        _store.EditTask(task.ID, t => t.NetworksAttachments = [.. t.NetworksAttachments ?? [], .. added]);
    }

    /// <summary>The (network, address) pairs of a task's attachments.</summary>
    private static IEnumerable<(string NetworkId, IPAddress Address)> AddressesOf(SwarmTask task) =>
        (task.NetworksAttachments ?? []).SelectMany(a => a.Addresses.Select(text => (
            a.Network["ID"]?.GetValue<string>() ?? "",
            IPAddress.TryParse(text.Split('/')[0], out var address) ? address : null)))
        .Where(p => p.Item1.Length > 0 && p.Item2 is not null)
        .Select(p => (p.Item1, p.Item2!));

    /// <summary>Underlay addresses of the nodes other than <paramref name="exceptNode"/> with live tasks on the network.</summary>
    private List<IPAddress> PeersOf(List<(SwarmTask Task, IReadOnlyList<string> NetworkIds)> live, string networkId, string exceptNode) =>
        [.. live.Where(l => l.Task.NodeID != exceptNode && l.NetworkIds.Contains(networkId))
            .Select(l => UnderlayOf(_store.TryGetNode(l.Task.NodeID!)))
            .Select(a => IPAddress.TryParse(a, out var address) ? address : null).OfType<IPAddress>().Distinct()];

    /// <summary>The endpoints of running tasks on the network on nodes other than <paramref name="exceptNode"/>, with the names the DNS answers.</summary>
    private List<SwarmOverlayEndpoint> EndpointsOf(string networkId, string exceptNode)
    {
        var result = new List<SwarmOverlayEndpoint>();
        foreach (var task in _store.Tasks.Where(t => t.NodeID != exceptNode && t.Status.State == "running"))
        {
            if (_store.TryGetService(task.ServiceID) is not { } service) continue;
            var attachment = TaskNetworks.Of(service.Spec, task.Spec).FirstOrDefault(n => n.Target == networkId);
            if (attachment.Target is null) continue;
            var address = AddressesOf(task).FirstOrDefault(a => a.NetworkId == networkId).Address;
            if (address is null) continue;
            string serviceName = ServiceSpecs.Name(service.Spec);
            var names = new List<string> { TaskContainers.ContainerName(TaskContainers.TaskName(serviceName, task), task) };
            if (task.Status.ContainerStatus?.ContainerID is { Length: >= 12 } containerId) names.Add(containerId[..12]);
            names.Add(serviceName);
            names.AddRange(attachment.Aliases.Where(a => a.Length > 0 && a != serviceName));
            names.Add("tasks." + serviceName);
            result.Add(new SwarmOverlayEndpoint { Names = names, Address = address.ToString() });
        }
        return result;
    }
}
