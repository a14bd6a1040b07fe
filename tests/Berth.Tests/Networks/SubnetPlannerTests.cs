using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class SubnetPlannerTests
{
    private static readonly SubnetPlanner Planner = new();
    private static readonly Ipv4Subnet[] None = [];

    private static Ipv4Subnet[] Subnets(params string[] cidrs) => cidrs.Select(Ipv4Subnet.Parse).ToArray();

    [Fact]
    public void The_first_network_gets_172_17_with_gateway_dot_1()
    {
        var addressing = Planner.Plan(new IpamRequest(), None, None);
        Assert.Equal("172.17.0.0/16", addressing.Subnet.ToString());
        Assert.Equal(IPAddress.Parse("172.17.0.1"), addressing.Gateway);
        Assert.Null(addressing.IpRange);
    }

    [Fact]
    public void Automatic_subnets_skip_other_networks_and_everything_on_the_host()
    {
        // Another engine owns 172.17.0.0/16, the reference dockerd 172.30.0.0/16; this daemon already has 172.18.
        var host = Subnets("172.17.0.0/16", "172.30.0.0/16", "192.0.2.0/24");
        var networks = Subnets("172.18.0.0/16");
        Assert.Equal("172.19.0.0/16", Planner.Plan(new IpamRequest(), networks, host).Subnet.ToString());
    }

    [Fact]
    public void Automatic_subnets_skip_partial_overlaps_and_move_on_to_192_168()
    {
        var host = Enumerable.Range(17, 15).Select(i => Ipv4Subnet.Parse($"172.{i}.3.0/24")).Append(Ipv4Subnet.Parse("192.168.1.0/24")).ToArray();
        Assert.Equal("192.168.16.0/20", Planner.Plan(new IpamRequest(), None, host).Subnet.ToString());
    }

    [Fact]
    public void A_host_route_covering_everything_leaves_no_pool()
    {
        var exception = Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest(), None, Subnets("128.0.0.0/1")));
        Assert.Equal("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network", exception.Message);
    }

    [Fact]
    public void Configured_pools_replace_the_defaults()
    {
        var planner = new SubnetPlanner([AddressPool.Create("10.201.0.0/16", 24)]);
        var first = planner.Plan(new IpamRequest(), None, Subnets("10.201.0.0/24"));
        Assert.Equal("10.201.1.0/24", first.Subnet.ToString());
        Assert.Equal("10.201.1.1", first.Gateway.ToString());
    }

    [Fact]
    public void A_given_subnet_may_overlap_the_host_but_not_another_network()
    {
        var onHostRoute = Planner.Plan(new IpamRequest("192.0.2.0/24"), None, Subnets("192.0.2.0/24"));
        Assert.Equal("192.0.2.1", onHostRoute.Gateway.ToString());

        var exception = Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.99.0.0/25"), Subnets("10.99.0.0/24"), None));
        Assert.Equal("Pool overlaps with other one on this address space", exception.Message);
    }

    [Fact]
    public void Gateway_and_range_are_checked_against_the_subnet()
    {
        Assert.Equal("no matching subnet for gateway 10.97.0.1",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.98.0.0/24", "10.97.0.1"), None, None)).Message);
        Assert.Equal("no matching subnet for range 10.97.0.0/25",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.98.0.0/24", IpRange: "10.97.0.0/25"), None, None)).Message);
        Assert.Equal("failed to allocate gateway (10.95.0.0): Address already in use",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.95.0.0/24", "10.95.0.0"), None, None)).Message);
        Assert.Equal("failed to allocate gateway (10.95.0.255): Address already in use",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.95.0.0/24", "10.95.0.255"), None, None)).Message);
        Assert.Equal("every ip-range or gateway must have a corresponding subnet",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest(Gateway: "10.95.0.1"), None, None)).Message);
    }

    [Fact]
    public void Without_a_gateway_the_gateway_is_the_first_address_of_the_range()
    {
        // dockerd: --subnet 10.99.0.0/24 --ip-range 10.99.0.128/25 gives the gateway .128 and the first container .129.
        var addressing = Planner.Plan(new IpamRequest("10.99.0.0/24", IpRange: "10.99.0.128/25"), None, None);
        Assert.Equal("10.99.0.128", addressing.Gateway.ToString());
        var allocator = AddressAllocator.ForNetwork(addressing, []);
        Assert.Equal("10.99.0.129", allocator.Allocate().ToString());
    }

    [Fact]
    public void Subnets_too_small_for_a_gateway_are_refused_and_slash_30_works()
    {
        Assert.Equal("failed to allocate gateway (): No available addresses on this pool",
            Assert.Throws<BerthException>(() => Planner.Plan(new IpamRequest("10.99.0.0/31"), None, None)).Message);
        var addressing = Planner.Plan(new IpamRequest("10.99.0.0/30", "10.99.0.2"), None, None);
        Assert.Equal("10.99.0.1", AddressAllocator.ForNetwork(addressing, []).Allocate().ToString());
    }

    [Fact]
    public void Auxiliary_addresses_are_reserved()
    {
        var request = new IpamRequest("10.99.0.0/24") { AuxiliaryAddresses = new Dictionary<string, string> { ["router"] = "10.99.0.2" } };
        var addressing = Planner.Plan(request, None, None);
        Assert.Equal("10.99.0.1", addressing.Gateway.ToString());
        Assert.Equal("10.99.0.3", AddressAllocator.ForNetwork(addressing, []).Allocate().ToString());
    }

    [Fact]
    public void The_default_bridge_comes_from_bip_and_fixed_cidr()
    {
        var addressing = NetworkAddressing.FromBridgeIp("172.30.0.1/16", "172.30.5.0/24");
        Assert.Equal("172.30.0.0/16", addressing.Subnet.ToString());
        Assert.Equal("172.30.0.1", addressing.Gateway.ToString());
        Assert.Equal("172.30.5.0/24", addressing.IpRange.ToString());
        Assert.Throws<BerthException>(() => NetworkAddressing.FromBridgeIp("172.30.0.0/16"));
        Assert.Throws<BerthException>(() => NetworkAddressing.FromBridgeIp("172.30.0.1/16", "10.0.0.0/24"));
    }

    [Fact]
    public void Host_subnets_come_from_routes_and_addresses_but_not_default_or_local_routes()
    {
        var routes = new[]
        {
            new RouteInfo(IPAddress.Any, 0, IPAddress.Parse("192.0.2.1"), 2, RouteInfo.MainTable),
            new RouteInfo(IPAddress.Parse("172.30.0.0"), 16, null, 5, RouteInfo.MainTable),
            new RouteInfo(IPAddress.Parse("127.0.0.0"), 8, null, 1, RouteInfo.LocalTable),
            new RouteInfo(IPAddress.Parse("10.8.0.0"), 16, null, 9, 100),
        };
        var addresses = new[]
        {
            new AddressInfo(1, IPAddress.Loopback, 8),
            new AddressInfo(2, IPAddress.Parse("192.0.2.2"), 24),
            new AddressInfo(2, IPAddress.Parse("fd00::2"), 64),
        };
        var subnets = HostSubnets.From(routes, addresses, [IPAddress.Parse("10.255.255.53"), IPAddress.Parse("127.0.0.53")]);
        Assert.Equal(["172.30.0.0/16", "10.8.0.0/16", "192.0.2.0/24", "10.255.255.53/32"], subnets.Select(s => s.ToString()));
    }
}
