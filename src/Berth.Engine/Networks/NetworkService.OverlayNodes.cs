using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// Overlays across the nodes of a swarm. Each node that holds tasks on an overlay has the network's bridge; a VXLAN
/// device on that bridge (VNI = the network's vxlanid, UDP 4789) joins the bridges of all those nodes into one layer-2
/// segment, flooding to each peer node and learning where each container's MAC lives. The swarm says who the peers
/// are, and the UDP port (the swarm's data path port, 4789 unless `swarm init --data-path-port` said otherwise); with
/// no peer (a single node) no VXLAN device exists. Addresses are unique across nodes because the manager hands
/// them out (a worker's containers take the address their task was given), and the gateway carries the same MAC on
/// every node, so whichever node answers for it, a container's traffic leaves through its own node.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>IANA's VXLAN port, swarm's default data path port.</summary>
    public const int DefaultDataPathPort = 4789;

    /// <summary>Docker's overlay MTU: the underlay's 1500 less the 50 bytes of VXLAN encapsulation.</summary>
    public const int OverlayMtu = 1450;

    private readonly Lock _overlayGate = new();
    private readonly Dictionary<string, int> _vxlanPorts = new(StringComparer.Ordinal);

    /// <summary>Per overlay: addresses this node's allocator holds for tasks that run on other nodes.</summary>
    private readonly Dictionary<string, HashSet<IPAddress>> _remoteAddresses = new(StringComparer.Ordinal);

    /// <summary>Per overlay: the endpoints of tasks on other nodes, which the embedded DNS answers too.</summary>
    private volatile IReadOnlyDictionary<string, IReadOnlyList<RemoteEndpoint>> _remoteEndpoints =
        new Dictionary<string, IReadOnlyList<RemoteEndpoint>>(StringComparer.Ordinal);

    /// <summary>
    /// Makes the overlay's VXLAN device (on UDP <paramref name="port"/>) flood to exactly <paramref name="peers"/>
    /// (other nodes' underlay addresses); none removes it.
    /// </summary>
    public void SetOverlayPeers(string networkId, IReadOnlyCollection<IPAddress> peers, int port)
    {
        if (TryGet(networkId) is not { IsOverlay: true } network) return;
        if (port is <= 0 or > 65535) port = DefaultDataPathPort;
        string device = _bridges.Names.VxlanFor(network.Id);
        lock (_overlayGate)
        {
            var link = _netlink.FindLink(device);
            if (link is not null && peers.Count > 0 && VxlanPortOf(device) is { } current && current != port)
            {
                _netlink.TryDeleteLink(device); // the swarm's data path port changed: made again below
                link = null;
            }
            if (peers.Count == 0)
            {
                if (link is not null && _bridges.Names.IsOwned(link)) _netlink.TryDeleteLink(device);
                _vxlanPorts.Remove(device);
                return;
            }
            if (link is null)
            {
                int vni = int.Parse(network.Options[VxlanIdOption], System.Globalization.CultureInfo.InvariantCulture);
                _netlink.CreateVxlan(device, vni, port, OverlayMtu, _netlink.GetLink(network.BridgeName!).Index);
                _netlink.SetAlias(device, _bridges.Names.OwnerTag);
                _vxlanPorts[device] = port;
                _netlink.SetUp(device);
            }
            var flooded = _netlink.ListFloodPeers(device).ToHashSet();
            foreach (var peer in peers.Where(p => !flooded.Contains(p))) _netlink.AppendFloodPeer(device, peer);
            foreach (var gone in flooded.Where(p => !peers.Contains(p))) _netlink.DeleteFloodPeer(device, gone);
        }
    }

    /// <summary>A free address of the overlay for a task another node will run; held until <see cref="HoldRemoteAddresses"/> no longer lists it.</summary>
    public IPAddress AllocateRemote(string networkId)
    {
        var network = Get(networkId);
        lock (_overlayGate)
        {
            var address = AllocatorOf(network).Allocate();
            RemoteSet(network.Id).Add(address);
            return address;
        }
    }

    /// <summary>
    /// The manager, on every pass: the addresses tasks on other nodes hold, per overlay. Newly listed ones are taken
    /// from this node's allocator (after a restart), ones no longer listed are given back.
    /// </summary>
    public void HoldRemoteAddresses(IReadOnlyDictionary<string, HashSet<IPAddress>> held)
    {
        lock (_overlayGate)
        {
            foreach (var networkId in _remoteAddresses.Keys.Union(held.Keys).ToList())
            {
                if (TryGet(networkId) is not { } network) { _remoteAddresses.Remove(networkId); continue; }
                var allocator = AllocatorOf(network);
                var mine = RemoteSet(networkId);
                var wanted = held.GetValueOrDefault(networkId) ?? [];
                foreach (var gone in mine.Where(a => !wanted.Contains(a)).ToList())
                {
                    allocator.Release(gone);
                    mine.Remove(gone);
                }
                foreach (var address in wanted.Where(a => !mine.Contains(a)))
                {
                    if (!allocator.IsAllocated(address)) allocator.Reserve(address);
                    mine.Add(address);
                }
            }
        }
    }

    /// <summary>The endpoints of tasks on other nodes, per overlay, for the embedded DNS (replaces what was set before).</summary>
    public void SetRemoteEndpoints(IReadOnlyDictionary<string, IReadOnlyList<RemoteEndpoint>> endpoints) =>
        _remoteEndpoints = new Dictionary<string, IReadOnlyList<RemoteEndpoint>>(endpoints, StringComparer.Ordinal);

    /// <summary>
    /// A worker: the overlays its tasks use, as the manager defined them (same ID, subnet, gateway and VXLAN ID), made
    /// here when missing. Overlays of the swarm that no assignment names any more and no container uses go.
    /// </summary>
    public void SyncSwarmNetworks(IReadOnlyList<NetworkRecord> wanted)
    {
        foreach (var definition in wanted)
        {
            if (TryGet(definition.Id) is not null) continue;
            lock (_gate)
            {
                using var hostLock = HostNetworkLock.Acquire();
                var record = new NetworkRecord
                {
                    Id = definition.Id, Name = definition.Name, Driver = OverlayDriver, Scope = "swarm", Created = definition.Created,
                    Internal = definition.Internal, Attachable = definition.Attachable,
                    Options = new Dictionary<string, string>(definition.Options), Labels = new Dictionary<string, string>(definition.Labels),
                    Subnet = definition.Subnet, Gateway = definition.Gateway, IpRange = definition.IpRange,
                    BridgeName = Names.BridgeFor(definition.Id), ManagerDefined = true,
                };
                var others = _store.List().Where(n => n.IsBridge).ToList();
                if (_firewallActive) ApplyFirewall([.. others, record]);
                _bridges.EnsureBridge(BridgeOf(record));
                _store.Add(record);
                _allocators[record.Id] = AddressAllocator.ForNetwork(record.Addressing(), [], record.Name, record.Id);
                Publish(record, "create");
            }
        }
        var keep = wanted.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _store.List().Where(n => n.IsOverlay && !keep.Contains(n.Id) && EndpointsOf(n).Count == 0))
        {
            try
            {
                Remove(stale.Id);
            }
            catch (Berth.Oci.Errors.BerthException exception)
            {
                _logger.LogWarning("swarm network {Name} kept: {Message}", stale.Name, exception.Message);
            }
        }
    }

    /// <summary>The UDP port a VXLAN device of ours was made with, remembered here (the kernel is not asked back).</summary>
    private int? VxlanPortOf(string device) => _vxlanPorts.TryGetValue(device, out int port) ? port : null;

    private HashSet<IPAddress> RemoteSet(string networkId)
    {
        if (!_remoteAddresses.TryGetValue(networkId, out var set)) _remoteAddresses[networkId] = set = [];
        return set;
    }

    /// <summary>Remote endpoints of <paramref name="networkId"/> whose names include <paramref name="name"/>.</summary>
    private IEnumerable<IPAddress> RemoteAddressesOf(string networkId, string name) =>
        (_remoteEndpoints.GetValueOrDefault(networkId) ?? [])
            .Where(e => e.Names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            .Select(e => e.Address);

    private string? RemoteNameOf(string networkId, IPAddress address) =>
        (_remoteEndpoints.GetValueOrDefault(networkId) ?? []).FirstOrDefault(e => e.Address.Equals(address))?.Names.FirstOrDefault();
}

/// <summary>A task's container on another node, as the DNS of this node's containers sees it: its names and its address on the overlay.</summary>
public sealed record RemoteEndpoint(IReadOnlyList<string> Names, IPAddress Address);
