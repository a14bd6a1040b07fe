using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks;

/// <summary>
/// Dual-stack bridge networks (network create --ipv6): the IPv6 entry of IPAM.Config, its allocator, and the host's
/// IPv6 forwarding. The IPv4 side stays NetworkService.cs's; a network without IPv6 never reaches this file's state.
/// </summary>
public sealed partial class NetworkService
{
    private readonly Dictionary<string, Ipv6AddressAllocator> _allocators6 = new(StringComparer.Ordinal);

    /// <summary>
    /// Splits a create request's IPAM.Config by family as dockerd does (a config whose subnet is IPv6 is the IPv6
    /// one; one without subnet counts as IPv4) and checks the counts: the bridge driver takes one of each.
    /// </summary>
    private static (IpamRequest V4, IpamRequest? V6) SplitIpam(NetworkCreateSpec spec, bool overlay)
    {
        var v6 = spec.Ipam.Where(r => Ipv6Subnet.IsIpv6(r.Subnet)).ToList();
        var v4 = spec.Ipam.Where(r => !Ipv6Subnet.IsIpv6(r.Subnet)).ToList();
        if (overlay)
        {
            if (spec.EnableIPv6 || v6.Count > 0) throw BerthException.NotImplemented("IPv6 on overlay networks is not supported by berthd");
            if (v4.Count > 1) throw BerthException.NotImplemented("more than one IPAM config per network is not supported by berthd");
        }
        if (v4.Count > 1 || v6.Count > 1) throw BerthException.Forbidden("bridge driver doesn't support multiple subnets");
        return (v4.FirstOrDefault() ?? new IpamRequest(), v6.FirstOrDefault());
    }

    /// <summary>The IPv6 config of a new network: planned when the request has one or asks for IPv6 (then it must have one).</summary>
    private NetworkIpv6Config? PlanIpv6(NetworkCreateSpec spec, IpamRequest? request)
    {
        if (!spec.EnableIPv6 && request is null) return null;
        var addressing = SubnetPlanner.PlanIpv6(request, OtherIpv6Subnets());
        return new NetworkIpv6Config
        {
            Subnet = request!.Subnet!,
            Gateway = addressing.Gateway.ToString(),
            GatewayChosen = string.IsNullOrEmpty(request.Gateway),
            IpRange = addressing.IpRange?.ToString(),
            AuxiliaryAddresses = addressing.AuxiliaryAddresses.Count == 0 ? null
                : addressing.AuxiliaryAddresses.ToDictionary(p => p.Key, p => p.Value.ToString()),
        };
    }

    /// <summary>dockerd's IPAM holds a network's IPv6 pool whether or not IPv6 is enabled on it.</summary>
    private List<Ipv6Subnet> OtherIpv6Subnets() =>
        _store.List().Where(n => n.Ipv6 is not null).Select(n => Ipv6Subnet.Parse(n.Ipv6!.Subnet)).ToList();

    /// <summary>The network's IPv6 allocator, rebuilt from the given live addresses after a restart; null for IPv4-only networks.</summary>
    private Ipv6AddressAllocator? Allocator6Of(NetworkRecord network, IEnumerable<IPAddress>? endpointAddresses = null)
    {
        if (network.Ipv6Addressing() is not { } addressing) return null;
        lock (_gate)
        {
            if (endpointAddresses is not null || !_allocators6.TryGetValue(network.Id, out var allocator))
                _allocators6[network.Id] = allocator = Ipv6AddressAllocator.ForNetwork(addressing, endpointAddresses ?? [], network.Name, network.Id);
            return allocator;
        }
    }

    /// <summary>
    /// IPv6 routing on when an IPv6 network leads outside, as dockerd's bridge driver sets it (all and default; never
    /// turned off again). Unlike IPv4 there is no per-bridge switch that stops forwarding, so the firewall isolates.
    /// </summary>
    private void EnsureIpv6Forward(IEnumerable<NetworkRecord> networks)
    {
        if (!DefaultBridge.IpForward || !networks.Any(n => n.IsBridge && !n.Internal && n.Ipv6Addressing() is not null)) return;
        Sysctl.Ensure("net.ipv6.conf.all.forwarding", "1");
        Sysctl.Ensure("net.ipv6.conf.default.forwarding", "1");
    }
}
