using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// The IPv4 space the host already uses: routed prefixes and the subnets of its addresses. A new network's subnet
/// must overlap none of them (another engine's docker0, the reference dockerd's 172.30.0.0/16, a VPN ...).
/// </summary>
public static class HostSubnets
{
    public static IReadOnlyList<Ipv4Subnet> Read(Rtnetlink netlink) =>
        From(netlink.ListRoutes(AddressFamily.InterNetwork), netlink.ListAddresses(AddressFamily.InterNetwork));

    public static IReadOnlyList<Ipv4Subnet> From(IEnumerable<RouteInfo> routes, IEnumerable<AddressInfo> addresses,
        IEnumerable<IPAddress>? nameservers = null)
    {
        var subnets = new List<Ipv4Subnet>();
        foreach (var route in routes)
        {
            // A default route overlaps everything and says nothing; the local table only repeats the host's own addresses.
            if (route.PrefixLength == 0 || route.Table == RouteInfo.LocalTable) continue;
            if (route.Destination.AddressFamily != AddressFamily.InterNetwork) continue;
            subnets.Add(new Ipv4Subnet(Ipv4Subnet.ToUInt32(route.Destination), route.PrefixLength));
        }
        foreach (var address in addresses)
        {
            if (address.Address.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(address.Address)) continue;
            subnets.Add(new Ipv4Subnet(Ipv4Subnet.ToUInt32(address.Address), address.PrefixLength));
        }
        // dockerd also keeps clear of the host's resolvers, which a container must still reach.
        foreach (var server in nameservers ?? [])
            if (server.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(server))
                subnets.Add(new Ipv4Subnet(Ipv4Subnet.ToUInt32(server), 32));
        return subnets;
    }
}
