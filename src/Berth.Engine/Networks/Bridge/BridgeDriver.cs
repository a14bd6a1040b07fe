using System.Net.Sockets;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Bridge;

/// <summary>
/// Bridge networks over netlink: the bridge with its gateway address, and per container a veth pair whose peer is
/// created directly inside the container's namespace under its final name, with its address, MAC and default route.
/// Calls are synchronous kernel round trips (well under a millisecond in all). Thread-safe.
/// </summary>
public sealed class BridgeDriver(Rtnetlink host, DeviceNames names)
{
    public DeviceNames Names { get; } = names;

    /// <summary>Makes sure the network's bridge exists, carries the gateway address and is up; idempotent.</summary>
    public void EnsureBridge(BridgeNetwork network)
    {
        var bridge = host.FindLink(network.BridgeName);
        if (network.External)
        {
            if (bridge is null) throw BerthException.Invalid($"bridge device with non default name {network.BridgeName} must be created manually");
        }
        else if (bridge is null)
        {
            try
            {
                host.CreateBridge(network.BridgeName, network.Mac ?? MacAddress.Random(), network.Mtu);
            }
            catch (BerthException exception) when (Rtnetlink.ErrnoOf(exception) == Errno.EEXIST)
            {
                // Another daemon made the same name between our look and our create: never adopt its device.
                throw BerthException.Conflict($"network {network.Name}: bridge {network.BridgeName} already exists and was not created by this daemon");
            }
            host.SetAlias(network.BridgeName, Names.OwnerTag);
            bridge = host.GetLink(network.BridgeName);
        }
        else if (!Names.IsOwned(bridge))
        {
            throw BerthException.Conflict($"network {network.Name}: bridge {network.BridgeName} already exists and was not created by this daemon");
        }
        if (network.Mac is { } mac && bridge.Mac != mac) host.SetMacAddress(network.BridgeName, mac);
        var gateway = network.Addressing.Gateway;
        int prefix = network.Addressing.Subnet.PrefixLength;
        bool hasGateway = host.ListAddresses(AddressFamily.InterNetwork)
            .Any(a => a.InterfaceIndex == bridge.Index && a.Address.Equals(gateway) && a.PrefixLength == prefix);
        if (!hasGateway) host.AddAddress(bridge.Index, gateway, prefix);
        if (network.Ipv6 is { } ipv6) EnsureIpv6Gateway(network, bridge.Index, ipv6);
        Sysctl.Ensure($"net/ipv4/conf/{network.BridgeName}/forwarding", network.Forwarding ? "1" : "0");
        if (!bridge.IsUp) host.SetUp(network.BridgeName);
    }

    /// <summary>
    /// The bridge's IPv6 side: IPv6 on, the gateway address, and fe80::1 as dockerd adds it. Without NODAD the addresses
    /// would be tentative for a second, and containers' first packets to the gateway lost.
    /// </summary>
    private void EnsureIpv6Gateway(BridgeNetwork network, int bridgeIndex, Ipv6Addressing ipv6)
    {
        string disable = $"net/ipv6/conf/{network.BridgeName}/disable_ipv6";
        if (!File.Exists(Sysctl.PathOf(disable)))
            throw BerthException.Internal($"network {network.Name}: IPv6 is not available on this host (no {Sysctl.PathOf(disable)})");
        Sysctl.Ensure(disable, "0");
        var existing = host.ListAddresses(AddressFamily.InterNetworkV6).Where(a => a.InterfaceIndex == bridgeIndex).ToList();
        if (!existing.Any(a => a.Address.Equals(ipv6.Gateway) && a.PrefixLength == ipv6.Subnet.PrefixLength))
            host.AddAddress(bridgeIndex, ipv6.Gateway, ipv6.Subnet.PrefixLength);
        if (!existing.Any(a => a.Address.Equals(BridgeLinkLocal)))
            host.AddAddress(bridgeIndex, BridgeLinkLocal, 64);
    }

    private static readonly System.Net.IPAddress BridgeLinkLocal = System.Net.IPAddress.Parse("fe80::1");

    /// <summary>Deletes the network's bridge (and so detaches whatever is left on it); false when it was not there.</summary>
    public bool DeleteBridge(BridgeNetwork network)
    {
        if (network.External) return false;
        var bridge = host.FindLink(network.BridgeName);
        if (bridge is null) return false;
        if (!Names.IsOwned(bridge))
            throw BerthException.Conflict($"network {network.Name}: bridge {network.BridgeName} was not created by this daemon");
        return host.TryDeleteLink(network.BridgeName);
    }

    /// <summary>
    /// Attaches a container: one veth pair (host end on the bridge, peer inside the namespace as
    /// <see cref="BridgeEndpoint.InterfaceName"/>), address, up, loopback up, default route unless internal.
    /// On any failure nothing is left behind.
    /// </summary>
    public EndpointAttachment Connect(BridgeNetwork network, BridgeEndpoint endpoint)
    {
        var bridge = host.FindLink(network.BridgeName)
            ?? throw BerthException.NotFound($"network {network.Name}: bridge {network.BridgeName} not found");
        string hostName = Names.VethFor(endpoint.EndpointId);
        if (host.FindLink(hostName) is { } leftover && Names.IsOwned(leftover)) host.TryDeleteLink(hostName);
        var mac = endpoint.Mac ?? MacAddress.FromIPv4(endpoint.Address);
        var addressing = network.Addressing;
        bool defaultRoute = endpoint.DefaultRoute && !network.Internal;

        using (var ns = NetworkNamespace.OpenNamespaceFile(endpoint.NetnsPath))
        {
            host.CreateVethPair(new VethPair(hostName, endpoint.InterfaceName)
            {
                Mtu = network.Mtu,
                MasterIndex = bridge.Index,
                Up = true,
                PeerMac = mac,
                PeerNamespace = ns,
            });
        }
        try
        {
            host.SetAlias(hostName, Names.OwnerTag);
            var ipv6 = endpoint.Address6 is not null ? network.Ipv6 : null;
            using var inside = ipv6 is null
                ? Rtnetlink.OpenInNamespace(endpoint.NetnsPath)
                : NetworkNamespace.Run(endpoint.NetnsPath, () => EnableIpv6Inside(endpoint.InterfaceName));
            inside.SetUp("lo");
            inside.AddAddress(endpoint.InterfaceName, endpoint.Address, addressing.Subnet.PrefixLength);
            // Up before the route: a down link has no connected route, so its gateway would be unreachable.
            inside.SetUp(endpoint.InterfaceName);
            if (defaultRoute) inside.AddDefaultRoute(network.DefaultGateway ?? addressing.Gateway, endpoint.InterfaceName);
            if (ipv6 is not null)
            {
                inside.AddAddress(endpoint.InterfaceName, endpoint.Address6!, ipv6.Subnet.PrefixLength);
                if (defaultRoute) inside.AddDefaultRoute(ipv6.Gateway, endpoint.InterfaceName);
            }
            if (!network.InterContainerCommunication) host.SetBridgePortIsolated(hostName);
        }
        catch
        {
            host.TryDeleteLink(hostName);
            throw;
        }
        return new EndpointAttachment(hostName, endpoint.InterfaceName, mac, endpoint.Address, addressing.Subnet.PrefixLength,
            defaultRoute ? network.DefaultGateway ?? addressing.Gateway : null)
        {
            Address6 = network.Ipv6 is null ? null : endpoint.Address6,
            PrefixLength6 = network.Ipv6 is { } v6 && endpoint.Address6 is not null ? v6.Subnet.PrefixLength : 0,
            Gateway6 = defaultRoute && endpoint.Address6 is not null ? network.Ipv6?.Gateway : null,
        };
    }

    /// <summary>
    /// On the thread joined to the container's namespace: IPv6 on for its loopback (::1) and the new interface, which
    /// the namespace's "default" left off (see NetworkNamespace.Create), then the netlink socket for the rest.
    /// </summary>
    private static Rtnetlink EnableIpv6Inside(string interfaceName)
    {
        Sysctl.Write("net/ipv6/conf/lo/disable_ipv6", "0");
        Sysctl.Write($"net/ipv6/conf/{interfaceName}/disable_ipv6", "0");
        return Rtnetlink.Open();
    }

    /// <summary>Detaches an endpoint: deleting the host end destroys the peer in the container too. False when already gone.</summary>
    public bool Disconnect(string endpointId)
    {
        string hostName = Names.VethFor(endpointId);
        var link = host.FindLink(hostName);
        if (link is null || !Names.IsOwned(link)) return false;
        return host.TryDeleteLink(hostName);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the host end of an endpoint's veth to disappear by itself, as it does
    /// once the container's network namespace is destroyed (the kernel takes the pair with it). True when it is gone.
    /// </summary>
    public async Task<bool> WaitGoneAsync(string endpointId, TimeSpan timeout)
    {
        string hostName = Names.VethFor(endpointId);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (host.FindLink(hostName) is { } link && Names.IsOwned(link))
        {
            if (Environment.TickCount64 >= deadline) return false;
            await Task.Delay(2);
        }
        return true;
    }

    /// <summary>Brings up the loopback of a namespace (--network none, and before the embedded DNS binds 127.0.0.11).</summary>
    public static void BringUpLoopback(string netnsPath)
    {
        using var inside = Rtnetlink.OpenInNamespace(netnsPath);
        inside.SetUp("lo");
    }

    /// <summary>
    /// Start-up cleanup after a crash: deletes this daemon's veths whose endpoint is not in <paramref name="liveEndpointIds"/>
    /// and its bridges not in <paramref name="liveBridges"/>. Devices without this daemon's tag are never touched.
    /// </summary>
    public IReadOnlyList<string> Reconcile(IEnumerable<string> liveBridges, IEnumerable<string> liveEndpointIds)
    {
        var keep = new HashSet<string>(liveBridges, StringComparer.Ordinal);
        foreach (string id in liveEndpointIds) keep.Add(Names.VethFor(id));
        var removed = new List<string>();
        // Veths first: deleting a bridge would only detach them.
        foreach (var link in host.ListLinks().Where(Names.IsOwned).OrderBy(l => l.Kind == "bridge" ? 1 : 0))
        {
            if (keep.Contains(link.Name)) continue;
            if (host.TryDeleteLink(link.Name)) removed.Add(link.Name);
        }
        return removed;
    }
}
