using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

/// <summary>The IPv6 side of dual-stack networks: SubnetPlanner.PlanIpv6 and Ipv6AddressAllocator, with dockerd 20.10's answers.</summary>
public sealed class Ipv6AddressingTests
{
    private static readonly Ipv6Subnet[] None = [];

    [Fact]
    public void The_gateway_is_the_first_address_after_the_prefix_and_containers_follow()
    {
        var addressing = SubnetPlanner.PlanIpv6(new IpamRequest("fd12:3456::/64"), None);
        Assert.Equal(IPAddress.Parse("fd12:3456::1"), addressing.Gateway);
        var allocator = Ipv6AddressAllocator.ForNetwork(addressing, []);
        Assert.Equal(IPAddress.Parse("fd12:3456::2"), allocator.Allocate());
        Assert.Equal(IPAddress.Parse("fd12:3456::3"), allocator.Allocate());
        allocator.Release(IPAddress.Parse("fd12:3456::2"));
        Assert.Equal(IPAddress.Parse("fd12:3456::2"), allocator.Allocate());
    }

    [Fact]
    public void A_requested_gateway_and_ip_range_are_kept_and_dynamic_addresses_come_from_the_range()
    {
        var addressing = SubnetPlanner.PlanIpv6(new IpamRequest("fd27::/64", "fd27::fe", "fd27::1:0/112"), None);
        Assert.Equal(IPAddress.Parse("fd27::fe"), addressing.Gateway);
        Assert.Equal("fd27::1:0/112", addressing.IpRange.ToString());
        Assert.Equal(IPAddress.Parse("fd27::1:0"), Ipv6AddressAllocator.ForNetwork(addressing, []).Allocate());
        // Without a gateway, the range's first address is the gateway (dockerd: default via fd27::1:0).
        var chosen = SubnetPlanner.PlanIpv6(new IpamRequest("fd27::/64", IpRange: "fd27::1:0/112"), None);
        Assert.Equal(IPAddress.Parse("fd27::1:0"), chosen.Gateway);
    }

    [Fact]
    public void Ipv6_without_a_subnet_is_a_404_as_dockerd_has_no_default_ipv6_pools()
    {
        var error = Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(null, None));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network", error.Message);
    }

    [Fact]
    public void Plan_errors_are_dockerds()
    {
        var taken = new[] { Ipv6Subnet.Parse("fd12:3456::/64") };
        var overlap = Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(new IpamRequest("fd12:3456::/80"), taken));
        Assert.Equal((ErrorKind.Forbidden, "Pool overlaps with other one on this address space"), (overlap.Kind, overlap.Message));
        var anycast = Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(new IpamRequest("fd23::/64", "fd23::"), None));
        Assert.Equal((ErrorKind.Internal, "failed to allocate gateway (fd23::): Address already in use"), (anycast.Kind, anycast.Message));
        var outside = Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(new IpamRequest("fd23::/64", "fd24::1"), None));
        Assert.Equal("no matching subnet for gateway fd24::1", outside.Message);
        var aux = Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(
            new IpamRequest("fd23::/64") { AuxiliaryAddresses = new Dictionary<string, string> { ["a"] = "fd16::2" } }, None));
        Assert.Equal("no matching subnet for aux-address fd16::2", aux.Message);
        Assert.Throws<BerthException>(() => SubnetPlanner.PlanIpv6(new IpamRequest("fd13::zz/64"), None));
    }

    [Fact]
    public void Auxiliary_addresses_are_never_handed_out()
    {
        var addressing = SubnetPlanner.PlanIpv6(
            new IpamRequest("fd23::/64") { AuxiliaryAddresses = new Dictionary<string, string> { ["router"] = "fd23::2" } }, None);
        var allocator = Ipv6AddressAllocator.ForNetwork(addressing, [IPAddress.Parse("fd23::3")]);
        Assert.Equal(IPAddress.Parse("fd23::4"), allocator.Allocate());
    }

    [Fact]
    public void Requested_addresses_are_checked_as_dockerd_checks_them()
    {
        var allocator = Ipv6AddressAllocator.ForNetwork(SubnetPlanner.PlanIpv6(new IpamRequest("fd25::/120"), None), []);
        // IPv6 has no broadcast: the last address is an ordinary one.
        Assert.Equal(IPAddress.Parse("fd25::ff"), allocator.Allocate(IPAddress.Parse("fd25::ff")));
        var taken = Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse("fd25::1")));
        Assert.Equal((ErrorKind.Conflict, "Address already in use"), (taken.Kind, taken.Message));
        var anycast = Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse("fd25::")));
        Assert.Equal("Address already in use", anycast.Message);
        var outside = Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse("fd26::1")));
        Assert.Equal((ErrorKind.Invalid, "Invalid address fd26::1: It does not belong to any of this network's subnets"), (outside.Kind, outside.Message));
    }

    [Fact]
    public void A_full_pool_says_so()
    {
        var allocator = Ipv6AddressAllocator.ForNetwork(SubnetPlanner.PlanIpv6(new IpamRequest("fd25::/126"), None), [], "net6", "abc");
        Assert.Equal(IPAddress.Parse("fd25::2"), allocator.Allocate());
        Assert.Equal(IPAddress.Parse("fd25::3"), allocator.Allocate());
        var full = Assert.Throws<BerthException>(() => allocator.Allocate());
        Assert.Equal("no available IPv6 addresses on this network's address pools: net6 (abc)", full.Message);
    }
}
