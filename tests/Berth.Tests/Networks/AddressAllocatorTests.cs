using System.Net;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class AddressAllocatorTests
{
    private static NetworkAddressing Addressing(string subnet, string gateway, string? range = null) =>
        new(Ipv4Subnet.Parse(subnet), IPAddress.Parse(gateway), range is null ? null : Ipv4Subnet.Parse(range));

    [Fact]
    public void Dynamic_addresses_are_the_lowest_free_ones_and_released_ones_come_back()
    {
        // As the reference dockerd: .2, .3, remove .2, next is .2 again.
        var allocator = AddressAllocator.ForNetwork(Addressing("172.30.0.0/16", "172.30.0.1"), []);
        Assert.Equal("172.30.0.2", allocator.Allocate().ToString());
        Assert.Equal("172.30.0.3", allocator.Allocate().ToString());
        allocator.Release(IPAddress.Parse("172.30.0.2"));
        Assert.Equal("172.30.0.2", allocator.Allocate().ToString());
        Assert.Equal("172.30.0.4", allocator.Allocate().ToString());
    }

    [Fact]
    public void The_range_starts_at_its_own_network_address()
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.99.0.0/24", "10.99.0.1", "10.99.0.128/25"), []);
        Assert.Equal("10.99.0.128", allocator.Allocate().ToString());
    }

    [Fact]
    public void Static_addresses_outside_the_range_but_inside_the_subnet_are_allowed()
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.99.0.0/24", "10.99.0.1", "10.99.0.128/25"), []);
        Assert.Equal("10.99.0.7", allocator.Allocate(IPAddress.Parse("10.99.0.7")).ToString());
        Assert.True(allocator.IsAllocated(IPAddress.Parse("10.99.0.7")));
    }

    [Theory]
    [InlineData("10.98.0.7", "Invalid address 10.98.0.7: It does not belong to any of this network's subnets")]
    [InlineData("10.99.0.1", "Address already in use")]
    [InlineData("10.99.0.0", "Address already in use")]
    [InlineData("10.99.0.255", "Address already in use")]
    [InlineData("10.99.0.9", "Address already in use")]
    public void Static_requests_fail_with_dockerds_messages(string requested, string message)
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.99.0.0/24", "10.99.0.1"), [IPAddress.Parse("10.99.0.9")]);
        Assert.Equal(message, Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse(requested))).Message);
    }

    [Fact]
    public void An_exhausted_network_names_itself()
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.96.0.0/30", "10.96.0.1"), [], "nettest-e", "5adbce01fd45");
        Assert.Equal("10.96.0.2", allocator.Allocate().ToString());
        var exception = Assert.Throws<BerthException>(() => allocator.Allocate());
        Assert.Equal("no available IPv4 addresses on this network's address pools: nettest-e (5adbce01fd45)", exception.Message);
    }

    [Fact]
    public void After_a_restart_addresses_held_by_endpoints_are_never_given_twice()
    {
        var addressing = Addressing("172.18.0.0/16", "172.18.0.1");
        var before = AddressAllocator.ForNetwork(addressing, []);
        var held = new List<IPAddress> { before.Allocate(), before.Allocate(), before.Allocate() };
        before.Release(held[1]);
        held.RemoveAt(1);

        // The daemon restarts: the allocator is rebuilt from the persisted endpoints only.
        var after = AddressAllocator.ForNetwork(addressing, held);
        var next = Enumerable.Range(0, 5).Select(_ => after.Allocate()).ToList();
        Assert.Empty(next.Intersect(held));
        Assert.Equal("172.18.0.3", next[0].ToString());
        Assert.Equal(1 + 2 + 5, after.Count);
    }

    [Fact]
    public void Concurrent_allocations_are_all_distinct()
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.50.0.0/22", "10.50.0.1"), []);
        var addresses = new System.Collections.Concurrent.ConcurrentBag<IPAddress>();
        Parallel.For(0, 1000, _ => addresses.Add(allocator.Allocate()));
        Assert.Equal(1000, addresses.Distinct().Count());
    }

    [Fact]
    public void Release_and_reserve_ignore_foreign_addresses()
    {
        var allocator = AddressAllocator.ForNetwork(Addressing("10.99.0.0/24", "10.99.0.1"), []);
        allocator.Release(IPAddress.Parse("10.1.1.1"));
        allocator.Reserve(IPAddress.Parse("10.1.1.1"));
        allocator.Release(IPAddress.Parse("10.99.0.50"));
        Assert.Equal(1, allocator.Count);
    }
}
