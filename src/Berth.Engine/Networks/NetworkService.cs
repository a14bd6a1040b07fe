using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Dns;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Nftables;
using Berth.Engine.Networks.Ports;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// The daemon's networks: the predefined bridge, host and none, user-defined bridges, and the containers' endpoints on
/// them (see WIRING.md). One instance per daemon; it owns the netlink socket, the address allocators, the port
/// proxies and the embedded DNS listeners. Split by concern: this file holds the networks themselves,
/// NetworkService.Containers.cs the container side.
/// </summary>
public sealed partial class NetworkService : IDisposable
{
    /// <summary>Pinned namespaces of every daemon's containers; container IDs are random, so files never collide.</summary>
    public const string NetnsDirectory = "/run/berth/netns";

    private readonly Lock _gate = new();
    private readonly NetworkStore _store;
    private readonly ContainerStore _containers;
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly Rtnetlink _netlink;
    private readonly BridgeDriver _bridges;
    private readonly BridgeFirewall _firewall;
    private readonly SubnetPlanner _planner;
    private readonly PortPublisher _publisher;
    private readonly EmbeddedDns _dns;
    private readonly Dictionary<string, AddressAllocator> _allocators = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveSandbox> _live = new(StringComparer.Ordinal);

    /// <summary>Containers whose joining was reported (connect events): only their teardown reports disconnects.</summary>
    private readonly ConcurrentDictionary<string, bool> _announced = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether this daemon's nftables table is in place. Without it (a kernel without nf_tables) bridges do not forward:
    /// containers then reach no further than the host, but networks stay isolated.
    /// </summary>
    private bool _firewallActive = true;

    /// <summary>Whether bridges may route: ip-forward on, or the host routing already (ip-forward=false leaves it to the host).</summary>
    private bool _hostForwards = true;

    public NetworkService(string networksRoot, string daemonIdentity, ContainerStore containers, EventBus events, ILogger logger,
        IReadOnlyList<AddressPool>? pools = null)
    {
        _store = new NetworkStore(networksRoot);
        _containers = containers;
        _events = events;
        _logger = logger;
        _netlink = Rtnetlink.Open();
        _bridges = new BridgeDriver(_netlink, new DeviceNames(daemonIdentity));
        _firewall = new BridgeFirewall(_bridges.Names);
        _planner = new SubnetPlanner(pools);
        _publisher = new PortPublisher(PortAllocator.FromKernelRange());
        _dns = new EmbeddedDns(DnsForwarder.FromResolvConf());
    }

    public DeviceNames Names => _bridges.Names;

    /// <summary>The daemon's one port publisher: the swarm's routing mesh binds its ports through it too.</summary>
    public PortPublisher Publisher => _publisher;

    /// <summary>The daemon's DNS settings, for the resolv.conf of containers on user-defined networks.</summary>
    public DnsDefaults DaemonDns { get; set; } = new([], [], []);

    /// <summary>
    /// Daemon start, before containers are recovered: the predefined networks, this daemon's leftover devices and
    /// namespaces removed, every bridge up, allocators rebuilt from the endpoints of running containers, their ports
    /// and DNS served again.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _hostForwards = DefaultBridge.IpForward || Sysctl.Read("net.ipv4.ip_forward") == "1";
        EnsureDefaultBridge();
        EnsurePredefined();
        var containers = _containers.List();
        var running = containers.Where(c => c.State.Running).ToList();
        var liveEndpoints = running.SelectMany(c => c.Networking.Endpoints).Where(e => e.EndpointId.Length > 0).ToList();
        var networks = _store.List().Where(n => n.IsBridge).ToList();
        if (!DefaultBridge.Iptables)
        {
            // iptables=false: no rules at all, as dockerd adds none; the table of an earlier start goes.
            _firewallActive = false;
            TryDeleteFirewallTable();
        }
        else
        {
            try
            {
                // Before the bridges forward anything; rebuilt whole, so rules of networks removed while the daemon was down go.
                ApplyFirewall(networks);
            }
            catch (BerthException exception)
            {
                _firewallActive = false;
                _logger.LogError("no NAT for bridge networks, containers reach no further than the host: {Message}", exception.Message);
            }
        }
        EnsureIpForward(networks);
        EnsureIpv6Forward(networks);
        var removed = _bridges.Reconcile(networks.Select(n => n.BridgeName!), liveEndpoints.Select(e => e.EndpointId));
        foreach (var device in removed) _logger.LogInformation("removed leftover network device {Device}", device);
        foreach (var container in containers.Where(c => !c.State.Running))
        {
            string path = NetnsPathOf(container.Id);
            if (File.Exists(path)) NetworkNamespace.Delete(path);
        }
        foreach (var network in networks)
        {
            _bridges.EnsureBridge(BridgeOf(network));
            var addresses = liveEndpoints.Where(e => e.NetworkId == network.Id && e.IPAddress.Length > 0)
                .Select(e => System.Net.IPAddress.Parse(e.IPAddress));
            _allocators[network.Id] = AddressAllocator.ForNetwork(network.Addressing(), addresses, network.Name, network.Id);
            Allocator6Of(network, liveEndpoints.Where(e => e.NetworkId == network.Id && e.GlobalIPv6Address.Length > 0)
                .Select(e => System.Net.IPAddress.Parse(e.GlobalIPv6Address)));
        }
        foreach (var container in running)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await RestoreAsync(container);
            }
            catch (Exception exception) when (exception is BerthException or System.Net.Sockets.SocketException or IOException)
            {
                _logger.LogWarning("container {Id}: could not restore its network: {Message}", container.ShortId, exception.Message);
            }
        }
    }

    public IReadOnlyList<NetworkRecord> List() => _store.List();

    public NetworkRecord Get(string idOrName) => _store.Get(idOrName);

    public NetworkRecord? TryGet(string idOrName) => _store.TryGet(idOrName);

    /// <summary>The containers with a live endpoint on the network (for inspect's "Containers" and rm's in-use check).</summary>
    public IReadOnlyList<(ContainerRecord Container, ContainerEndpoint Endpoint)> EndpointsOf(NetworkRecord network) =>
        _containers.List()
            .Where(c => c.State.Running)
            .SelectMany(c => c.Networking.Endpoints.Where(e => e.NetworkId == network.Id && e.EndpointId.Length > 0).Select(e => (c, e)))
            .ToList();

    /// <summary>network create: a bridge network with planned or requested addressing.</summary>
    public NetworkRecord Create(NetworkCreateSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Name)) throw BerthException.Invalid("network name must not be empty");
        string driver = string.IsNullOrEmpty(spec.Driver) ? "bridge" : spec.Driver;
        if (driver is "host" or "null") throw BerthException.Forbidden($"only one instance of \"{(driver == "null" ? "none" : driver)}\" network is allowed");
        bool overlay = driver == OverlayDriver;
        if (driver != "bridge" && !overlay) throw BerthException.NotFound($"plugin \"{driver}\" not found");
        var planner = overlay ? OverlayPlanner(spec) : _planner;
        if (!overlay) BridgeOptions.Parse(spec.Options);
        var (request, request6) = SplitIpam(spec, overlay);
        lock (_gate)
        {
            if (_store.TryGet(spec.Name) is { } existing && existing.Name == spec.Name)
                throw BerthException.Conflict($"network with name {spec.Name} already exists");
            // Swarm objects have swarm's 25-character IDs.
            string id = overlay ? Swarm.SwarmIds.NewId() : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            using var hostLock = HostNetworkLock.Acquire();
            var addressing = planner.Plan(request, OtherSubnets(), HostSubnets.Read(_netlink));
            var ipv6 = PlanIpv6(spec, request6);
            string bridgeName = spec.Options.GetValueOrDefault("com.docker.network.bridge.name") is { Length: > 0 } named ? named : Names.BridgeFor(id);
            var record = new NetworkRecord
            {
                Id = id,
                Name = spec.Name,
                Driver = driver,
                Scope = overlay ? "swarm" : "local",
                Created = DateTimeOffset.UtcNow,
                Internal = spec.Internal,
                Attachable = spec.Attachable,
                Options = overlay ? OverlayOptions(spec.Options) : new Dictionary<string, string>(spec.Options),
                Labels = new Dictionary<string, string>(spec.Labels),
                Subnet = request.Subnet is { Length: > 0 } asked ? asked : addressing.Subnet.ToString(),
                Gateway = addressing.Gateway.ToString(),
                GatewayChosen = !overlay && !string.IsNullOrEmpty(request.Subnet) && string.IsNullOrEmpty(request.Gateway),
                IpRange = addressing.IpRange?.ToString(),
                AuxiliaryAddresses = addressing.AuxiliaryAddresses.Count == 0 ? null : addressing.AuxiliaryAddresses.ToDictionary(p => p.Key, p => p.Value.ToString()),
                IpamOptions = spec.IpamOptions is null ? null : new Dictionary<string, string>(spec.IpamOptions),
                EnableIPv6 = spec.EnableIPv6,
                Ipv6 = ipv6,
                BridgeName = bridgeName,
            };
            var bridge = BridgeOf(record);
            var others = _store.List().Where(n => n.IsBridge).ToList();
            // The rules come first, so the bridge never forwards without isolation.
            if (_firewallActive) ApplyFirewall([.. others, record]);
            EnsureIpForward([record]);
            EnsureIpv6Forward([record]);
            try
            {
                _bridges.EnsureBridge(bridge);
                try
                {
                    _store.Add(record);
                }
                catch
                {
                    _bridges.DeleteBridge(bridge);
                    throw;
                }
            }
            catch
            {
                if (_firewallActive) TryApplyFirewall(others);
                throw;
            }
            _allocators[record.Id] = AddressAllocator.ForNetwork(addressing, [], record.Name, record.Id);
            Allocator6Of(record, []);
            Publish(record, "create");
            return record;
        }
    }

    /// <summary>network rm: 403 for the predefined ones and for networks with active endpoints, as dockerd 20.10.</summary>
    public void Remove(string idOrName)
    {
        lock (_gate)
        {
            var network = _store.Get(idOrName);
            if (network.IsPredefined) throw BerthException.Forbidden($"{network.Name} is a pre-defined network and cannot be removed");
            if (network.IsOverlay) PrepareOverlayRemoval(network);
            if (EndpointsOf(network).Count > 0)
                throw BerthException.Forbidden($"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            if (network.IsOverlay) SetOverlayPeers(network.Id, [], 0);
            if (network.IsBridge) _bridges.DeleteBridge(BridgeOf(network));
            _store.Remove(network);
            if (network.IsBridge && _firewallActive) TryApplyFirewall(_store.List().Where(n => n.IsBridge));
            _allocators.Remove(network.Id);
            _allocators6.Remove(network.Id);
            Publish(network, "destroy");
        }
    }

    /// <summary>network prune: every user-defined network without active endpoints that <paramref name="filter"/> accepts.</summary>
    public List<string> Prune(Func<NetworkRecord, bool> filter)
    {
        var removed = new List<string>();
        foreach (var network in _store.List().Where(n => !n.IsPredefined && filter(n)))
        {
            try
            {
                Remove(network.Id);
                removed.Add(network.Name);
            }
            catch (BerthException)
            {
                // In use: not prunable.
            }
        }
        return removed;
    }

    /// <summary>host and none; the default bridge is NetworkService.DefaultBridge.cs's.</summary>
    private void EnsurePredefined()
    {
        if (_store.TryGet("host") is null)
            _store.Add(new NetworkRecord { Id = NewId(), Name = "host", Driver = "host", Created = DateTimeOffset.UtcNow });
        if (_store.TryGet("none") is null)
            _store.Add(new NetworkRecord { Id = NewId(), Name = "none", Driver = "null", Created = DateTimeOffset.UtcNow });
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private List<Ipv4Subnet> OtherSubnets() =>
        _store.List().Where(n => n.IsBridge && n.Subnet is not null).Select(n => Ipv4Subnet.Parse(n.Subnet!)).ToList();

    private BridgeNetwork BridgeOf(NetworkRecord network)
    {
        var options = BridgeOptions.Parse(network.Options);
        return new BridgeNetwork(network.Id, network.Name, network.BridgeName!, network.Addressing())
        {
            Ipv6 = network.Ipv6Addressing(),
            Internal = network.Internal,
            Mtu = options.MtuValue > 0 ? options.MtuValue : network.IsOverlay ? OverlayMtu : 0,
            // One gateway MAC on every node of an overlay: the bridges are one segment once VXLAN joins them.
            Mac = network.IsOverlay ? MacAddress.FromId(network.Id) : null,
            // The firewall isolates; the sysctl stays off for internal networks as a second guard (until something sets
            // net.ipv4.ip_forward again, which resets every device's). With iptables=false there is nothing to isolate
            // with, and bridges route as dockerd's do then.
            Forwarding = (_firewallActive || !DefaultBridge.Iptables) && _hostForwards && !network.Internal,
            Masquerade = options.IpMasquerade,
            InterContainerCommunication = options.InterContainerCommunication,
            External = network.ExternalBridge,
            DefaultGateway = network.AuxiliaryAddresses?.GetValueOrDefault(DefaultGatewayAuxKey) is { } gateway ? IPAddress.Parse(gateway) : null,
        };
    }

    /// <summary>This daemon's table for exactly <paramref name="networks"/>.</summary>
    private void ApplyFirewall(IEnumerable<NetworkRecord> networks) =>
        _firewall.Apply(networks.Where(n => n.IsBridge).Select(BridgeOf)
            // ip6tables=false: IPv6 traffic gets no rules (the ip6 table goes), as dockerd adds none then.
            .Select(n => DefaultBridge.Ip6tables ? n : n with { Ipv6 = null }).ToList());

    /// <summary>
    /// Routing on when a network leads outside (as dockerd does unless ip-forward=false; never turned off again, since
    /// other engines rely on it too).
    /// </summary>
    private void EnsureIpForward(IEnumerable<NetworkRecord> networks)
    {
        if (DefaultBridge.IpForward && networks.Any(n => n.IsBridge && !n.Internal)) Sysctl.Ensure("net.ipv4.ip_forward", "1");
    }

    private void TryDeleteFirewallTable()
    {
        try
        {
            BridgeFirewall.DeleteTable(_firewall.Table);
        }
        catch (BerthException exception)
        {
            _logger.LogWarning("nftables table {Table} not removed: {Message}", _firewall.Table, exception.Message);
        }
    }

    private void TryApplyFirewall(IEnumerable<NetworkRecord> networks)
    {
        try
        {
            ApplyFirewall(networks);
        }
        catch (BerthException exception)
        {
            _logger.LogWarning("nftables table {Table} not updated: {Message}", _firewall.Table, exception.Message);
        }
    }

    private AddressAllocator AllocatorOf(NetworkRecord network)
    {
        lock (_gate)
        {
            if (!_allocators.TryGetValue(network.Id, out var allocator))
                _allocators[network.Id] = allocator = AddressAllocator.ForNetwork(network.Addressing(), [], network.Name, network.Id);
            return allocator;
        }
    }

    private void Publish(NetworkRecord network, string action, Dictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = network.Name, ["type"] = network.Driver };
        if (extra is not null)
            foreach (var (key, value) in extra) attributes[key] = value;
        _events.Publish("network", action, network.Id, attributes);
    }

    public static string NetnsPathOf(string containerId) => Path.Combine(NetnsDirectory, containerId);

    public void Dispose() => _netlink.Dispose();
}

/// <summary>What `network create` asked for, already parsed from the API body.</summary>
public sealed record NetworkCreateSpec(string Name, string? Driver)
{
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool Ingress { get; init; }
    public bool EnableIPv6 { get; init; }
    public IReadOnlyList<IpamRequest> Ipam { get; init; } = [];
    public IReadOnlyDictionary<string, string>? IpamOptions { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
