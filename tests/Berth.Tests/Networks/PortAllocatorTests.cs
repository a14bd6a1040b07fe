using System.Net;
using Berth.Engine.Networks.Ports;

namespace Berth.Tests.Networks;

public sealed class PortAllocatorTests
{
    private static readonly IPAddress[] Everywhere = [IPAddress.Any, IPAddress.IPv6Any];

    private static int Ephemeral(PortAllocator allocator, IReadOnlyList<IPAddress> addresses, PortProtocol protocol = PortProtocol.Tcp)
    {
        foreach (int port in allocator.Candidates(addresses, protocol, 0, 0))
        {
            if (!allocator.TryAllocate(addresses, protocol, port)) continue;
            allocator.NoteEphemeral(addresses, protocol, port);
            return port;
        }
        return -1;
    }

    [Fact]
    public void Ephemeral_ports_start_at_the_range_and_go_on_after_the_last_one()
    {
        // The reference dockerd: first -P gets 32768, the next 32769, and a released port is not reused at once.
        var allocator = new PortAllocator();
        Assert.Equal(32768, Ephemeral(allocator, Everywhere));
        Assert.Equal(32769, Ephemeral(allocator, Everywhere));
        allocator.Release(Everywhere, PortProtocol.Tcp, 32768);
        Assert.Equal(32770, Ephemeral(allocator, Everywhere));
    }

    [Fact]
    public void Ephemeral_ports_wrap_and_skip_taken_ones()
    {
        var allocator = new PortAllocator(40000, 40002);
        Assert.True(allocator.TryAllocate([IPAddress.Any], PortProtocol.Tcp, 40001));
        Assert.Equal(40000, Ephemeral(allocator, [IPAddress.Any]));
        Assert.Equal(40002, Ephemeral(allocator, [IPAddress.Any]));
        Assert.Equal(-1, Ephemeral(allocator, [IPAddress.Any]));
        allocator.Release([IPAddress.Any], PortProtocol.Tcp, 40000);
        Assert.Equal(40000, Ephemeral(allocator, [IPAddress.Any]));
    }

    [Fact]
    public void Protocols_and_families_are_separate()
    {
        var allocator = new PortAllocator();
        Assert.True(allocator.TryAllocate([IPAddress.Any], PortProtocol.Tcp, 8080));
        Assert.True(allocator.TryAllocate([IPAddress.Any], PortProtocol.Udp, 8080));
        Assert.True(allocator.TryAllocate([IPAddress.IPv6Any], PortProtocol.Tcp, 8080));
        Assert.False(allocator.TryAllocate([IPAddress.Any], PortProtocol.Tcp, 8080));
    }

    [Fact]
    public void A_wildcard_clashes_with_specific_addresses_of_its_family_both_ways()
    {
        var allocator = new PortAllocator();
        Assert.True(allocator.TryAllocate([IPAddress.Loopback], PortProtocol.Tcp, 8080));
        Assert.False(allocator.TryAllocate([IPAddress.Any], PortProtocol.Tcp, 8080));
        Assert.True(allocator.TryAllocate([IPAddress.Parse("127.0.0.2")], PortProtocol.Tcp, 8080));
        Assert.True(allocator.TryAllocate([IPAddress.Any], PortProtocol.Tcp, 9090));
        Assert.False(allocator.TryAllocate([IPAddress.Loopback], PortProtocol.Tcp, 9090));
        Assert.True(allocator.IsAllocated(IPAddress.Parse("10.0.0.1"), PortProtocol.Tcp, 9090));
    }

    [Fact]
    public void Allocation_over_several_addresses_is_all_or_nothing()
    {
        var allocator = new PortAllocator();
        Assert.True(allocator.TryAllocate([IPAddress.IPv6Any], PortProtocol.Tcp, 18080));
        Assert.False(allocator.TryAllocate(Everywhere, PortProtocol.Tcp, 18080));
        Assert.False(allocator.IsAllocated(IPAddress.Any, PortProtocol.Tcp, 18080));
    }

    [Fact]
    public void A_range_yields_its_ports_in_order()
    {
        var allocator = new PortAllocator();
        Assert.Equal([8000, 8001, 8002], allocator.Candidates([IPAddress.Any], PortProtocol.Tcp, 8000, 8002));
    }
}
