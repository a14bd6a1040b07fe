using System.Net;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Nftables;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// The nftables table of <see cref="BridgeFirewall"/> on the real kernel, with bridges, namespaces and an outside of
/// the test's own: masquerade, isolation between bridges with forwarding on, internal networks, and what `nft` shows.
/// </summary>
public sealed class BridgeFirewallTests : IDisposable
{
    private readonly NetTestEnvironment _env = new();
    private readonly BridgeDriver _driver;
    private readonly BridgeFirewall _firewall;

    public BridgeFirewallTests()
    {
        _driver = new BridgeDriver(_env.Host, _env.Names);
        _firewall = new BridgeFirewall(_env.Names);
        // As berthd does when a network leads outside (and as dockerd does).
        Sysctl.Ensure("net.ipv4.ip_forward", "1");
    }

    public void Dispose()
    {
        BridgeFirewall.DeleteTable(_firewall.Table);
        _env.Dispose();
    }

    /// <summary>A network whose bridge forwards, as berthd makes non-internal ones.</summary>
    private BridgeNetwork CreateNetwork(string name, bool @internal = false)
    {
        var network = _env.CreateNetwork(_driver, name, @internal) with { Forwarding = !@internal };
        _driver.EnsureBridge(network);
        return network;
    }

    private BridgeEndpoint Attach(BridgeNetwork network, string suffix)
    {
        string ns = _env.CreateNamespace(suffix);
        var endpoint = new BridgeEndpoint(NetTestEnvironment.NewEndpointId(), ns, AddressAllocator.ForNetwork(network.Addressing, []).Allocate());
        _driver.Connect(network, endpoint);
        return endpoint;
    }

    private static Task<CommandResult> ConnectAsync(string netns, OutsideHost outside, int port) =>
        NetTestEnvironment.BusyboxInAsync(netns, "timeout", "3", "nc", outside.Address.ToString(), port.ToString());

    private static Task<CommandResult> NftAsync(params string[] args) => Commands.RunAsync("nft", args);

    [Fact]
    public async Task A_bridge_network_reaches_the_outside_masqueraded_behind_the_host()
    {
        var network = CreateNetwork("open");
        var endpoint = Attach(network, "a");
        var outside = OutsideHost.Create(_env);
        _firewall.Apply([network]);
        const int port = 8081;
        using var listener = outside.Listen(port);

        var accepted = OutsideHost.AcceptOneAsync(listener, TimeSpan.FromSeconds(10));
        var client = await ConnectAsync(endpoint.NetnsPath, outside, port);

        Assert.Equal(outside.HostSide, await accepted);
        Assert.Equal("outside\n", client.Stdout);
    }

    [Fact]
    public async Task Without_the_table_nothing_is_masqueraded_so_the_outside_never_answers()
    {
        var network = CreateNetwork("nonat");
        var endpoint = Attach(network, "n");
        var outside = OutsideHost.Create(_env);
        // The SYN arrives from the bridge's subnet, but the outside has no route back to it.
        await AssertOutsideNotReachedAsync(endpoint.NetnsPath, outside, 8082);
    }

    [Fact]
    public async Task An_internal_network_forwards_nothing_even_with_a_route_out()
    {
        var open = CreateNetwork("open");
        var closed = CreateNetwork("closed", @internal: true);
        var endpoint = Attach(closed, "i");
        var outside = OutsideHost.Create(_env);
        _firewall.Apply([open, closed]);
        // Forwarding is what the firewall must stop, not a missing route or sysctl.
        using (var inside = Rtnetlink.OpenInNamespace(endpoint.NetnsPath))
            inside.AddRoute(outside.Address, 32, closed.Addressing.Gateway, "eth0");
        Sysctl.Write($"net/ipv4/conf/{closed.BridgeName}/forwarding", "1");
        await AssertOutsideNotReachedAsync(endpoint.NetnsPath, outside, 8083);
    }

    /// <summary>A connection from the namespace to the outside fails and the outside accepts nothing.</summary>
    private static async Task AssertOutsideNotReachedAsync(string netnsPath, OutsideHost outside, int port)
    {
        using var listener = outside.Listen(port);
        var accepted = OutsideHost.AcceptOneAsync(listener, TimeSpan.FromSeconds(4));
        var client = await ConnectAsync(netnsPath, outside, port);
        Assert.NotEqual(0, client.ExitCode);
        Assert.Null(await accepted);
    }

    [Fact]
    public async Task Two_bridges_reach_each_other_through_the_host_until_the_table_isolates_them()
    {
        var red = CreateNetwork("red");
        var blue = CreateNetwork("blue");
        var redEndpoint = Attach(red, "r");
        var blueEndpoint = Attach(blue, "b");
        string[] ping = ["ping", "-c", "1", "-W", "2", blueEndpoint.Address.ToString()];
        // With forwarding on and no rules the host routes between its bridges: what Docker's isolation rules stop.
        Assert.Equal(0, (await NetTestEnvironment.BusyboxInAsync(redEndpoint.NetnsPath, ping)).ExitCode);

        _firewall.Apply([red, blue]);

        Assert.NotEqual(0, (await NetTestEnvironment.BusyboxInAsync(redEndpoint.NetnsPath, ping)).ExitCode);
        Assert.NotEqual(0, (await NetTestEnvironment.BusyboxInAsync(blueEndpoint.NetnsPath, "ping", "-c", "1", "-W", "2", redEndpoint.Address.ToString())).ExitCode);
        // Each still reaches its own gateway (the host), which is not forwarding.
        Assert.Equal(0, (await NetTestEnvironment.BusyboxInAsync(redEndpoint.NetnsPath, "ping", "-c", "1", "-W", "2", red.Addressing.Gateway.ToString())).ExitCode);
    }

    [Fact]
    public async Task The_table_holds_exactly_the_given_networks_and_leaves_other_daemons_tables_alone()
    {
        var network = new BridgeNetwork("id1", "web", "br" + _env.Id + "w", NetworkAddressing.FromBridgeIp("10.213.250.1/24"));
        var closed = new BridgeNetwork("id2", "db", "br" + _env.Id + "d", NetworkAddressing.FromBridgeIp("10.213.251.1/24")) { Internal = true };
        var other = new BridgeFirewall(new DeviceNames("another-daemon-" + _env.Id));
        try
        {
            other.Apply([new BridgeNetwork("id3", "x", "br" + _env.Id + "x", NetworkAddressing.FromBridgeIp("10.213.252.1/24"))]);
            _firewall.Apply([network, closed]);

            string table = (await NftAsync("list", "table", "ip", _firewall.Table)).EnsureSuccess().Stdout;
            Assert.Contains($"ip saddr 10.213.250.0/24 oifname != \"{network.BridgeName}\" masquerade comment \"berth network web\"", table);
            Assert.DoesNotContain("10.213.251.0/24", table);
            Assert.Contains($"iifname \"{network.BridgeName}\" oifname != \"{network.BridgeName}\" jump isolate", table);
            Assert.Contains($"oifname \"{network.BridgeName}\" iifname != \"{network.BridgeName}\" ct state ! established,related drop", table);
            Assert.Contains($"iifname \"{closed.BridgeName}\" oifname != \"{closed.BridgeName}\" drop", table);
            Assert.Contains($"oifname \"{closed.BridgeName}\" iifname != \"{closed.BridgeName}\" drop", table);
            Assert.Contains("type nat hook postrouting priority srcnat; policy accept;", table);
            Assert.Contains("type filter hook forward priority filter; policy accept;", table);

            _firewall.Apply([closed]);
            table = (await NftAsync("list", "table", "ip", _firewall.Table)).EnsureSuccess().Stdout;
            Assert.DoesNotContain(network.BridgeName, table);
            Assert.Contains(closed.BridgeName, table);

            Assert.True(BridgeFirewall.DeleteTable(_firewall.Table));
            Assert.False(BridgeFirewall.DeleteTable(_firewall.Table));
            Assert.NotEqual(0, (await NftAsync("list", "table", "ip", _firewall.Table)).ExitCode);
            Assert.Contains("10.213.252.0/24", (await NftAsync("list", "table", "ip", other.Table)).EnsureSuccess().Stdout);
        }
        finally
        {
            BridgeFirewall.DeleteTable(other.Table);
        }
    }
}
