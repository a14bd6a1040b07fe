using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Ports;
using Berth.IntegrationTests.Infrastructure;
using Berth.Oci.Errors;

namespace Berth.IntegrationTests.Networks;

/// <summary>Two namespaces of the test's own on a bridge the driver made: addresses, routes, traffic, cleanup.</summary>
public sealed class BridgeDriverTests : IDisposable
{
    private readonly NetTestEnvironment _env = new();
    private readonly BridgeDriver _driver;

    public BridgeDriverTests()
    {
        _driver = new BridgeDriver(_env.Host, _env.Names);
    }

    public void Dispose() => _env.Dispose();

    private BridgeNetwork CreateNetwork(string name, bool @internal = false) => _env.CreateNetwork(_driver, name, @internal);

    private static string NewEndpointId() => NetTestEnvironment.NewEndpointId();

    [Fact]
    public void The_bridge_is_made_once_with_its_gateway_up_and_marked()
    {
        var network = CreateNetwork("nettest");
        _driver.EnsureBridge(network);
        var bridge = _env.Host.GetLink(network.BridgeName);
        Assert.Equal("bridge", bridge.Kind);
        Assert.True(bridge.IsUp);
        Assert.Equal(_env.Names.OwnerTag, bridge.Alias);
        var addresses = _env.Host.ListAddresses(AddressFamily.InterNetwork).Where(a => a.InterfaceIndex == bridge.Index).ToList();
        Assert.Equal([new AddressInfo(bridge.Index, network.Addressing.Gateway, 24)], addresses);
        Assert.Equal("0", Sysctl.Read($"net/ipv4/conf/{network.BridgeName}/forwarding"));

        Assert.True(_driver.DeleteBridge(network));
        Assert.Null(_env.Host.FindLink(network.BridgeName));
        Assert.False(_driver.DeleteBridge(network));
    }

    [Fact]
    public void Devices_the_daemon_did_not_make_are_never_adopted_or_deleted()
    {
        string foreign = _env.LinkName("x");
        _env.Host.CreateBridge(foreign);
        var network = new BridgeNetwork("id", "other", foreign, NetworkAddressing.FromBridgeIp("10.213.254.1/24"));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => _driver.EnsureBridge(network)).Kind);
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => _driver.DeleteBridge(network)).Kind);
        int foreignIndex = _env.Host.GetLink(foreign).Index;
        Assert.DoesNotContain(_env.Host.ListAddresses(AddressFamily.InterNetwork), a => a.InterfaceIndex == foreignIndex);
    }

    [Fact]
    public async Task Two_namespaces_on_one_bridge_reach_each_other_and_the_host_reaches_them_through_a_published_port()
    {
        var network = CreateNetwork("nettest");
        var allocator = AddressAllocator.ForNetwork(network.Addressing, []);
        string ns1 = _env.CreateNamespace("1");
        string ns2 = _env.CreateNamespace("2");
        var ep1 = new BridgeEndpoint(NewEndpointId(), ns1, allocator.Allocate());
        var ep2 = new BridgeEndpoint(NewEndpointId(), ns2, allocator.Allocate());
        var at1 = _driver.Connect(network, ep1);
        var at2 = _driver.Connect(network, ep2);

        Assert.Equal(MacAddress.FromIPv4(ep1.Address), at1.Mac);
        Assert.Equal(_env.Host.GetLink(network.BridgeName).Index, _env.Host.GetLink(at1.HostInterface).MasterIndex);
        var show = await NetTestEnvironment.BusyboxInAsync(ns1, "ip", "-4", "addr", "show", "eth0");
        Assert.Contains($"inet {ep1.Address}/24", show.EnsureSuccess().Stdout);
        Assert.Contains(at1.Mac.ToString(), (await NetTestEnvironment.BusyboxInAsync(ns1, "ip", "link", "show", "eth0")).Stdout);
        var route = await NetTestEnvironment.BusyboxInAsync(ns1, "ip", "route");
        Assert.Contains($"default via {network.Addressing.Gateway} dev eth0", route.Stdout);
        Assert.Contains("lo", (await NetTestEnvironment.BusyboxInAsync(ns1, "ip", "-4", "addr", "show", "lo")).Stdout);

        var ping = await NetTestEnvironment.BusyboxInAsync(ns1, "ping", "-c", "1", "-W", "5", ep2.Address.ToString());
        Assert.True(ping.ExitCode == 0, ping.ToString());
        var pingGateway = await NetTestEnvironment.BusyboxInAsync(ns2, "ping", "-c", "1", "-W", "5", network.Addressing.Gateway.ToString());
        Assert.True(pingGateway.ExitCode == 0, pingGateway.ToString());

        // TCP between the namespaces: busybox nc serving a line in ns2, fetched from ns1.
        using var server = StartBusyboxServer(ns2, "echo hello-from-ns2 | busybox nc -l -p 7000");
        string fetched = await RetryAsync(async () =>
            (await NetTestEnvironment.BusyboxInAsync(ns1, "nc", "-w", "3", ep2.Address.ToString(), "7000")).Stdout);
        Assert.Equal("hello-from-ns2", fetched.Trim());

        // The host reaches the container through the userland proxy on 127.0.0.1.
        using var server2 = StartBusyboxServer(ns2, "echo published | busybox nc -l -p 7001");
        var publisher = new PortPublisher(new PortAllocator());
        await using var publication = await publisher.PublishAsync(ep2.Address,
            [new PortBindingRequest(new ContainerPort(7001, PortProtocol.Tcp), IPAddress.Loopback, 0, 0)], "nettest2", ep2.EndpointId);
        int hostPort = publication.Ports.Single().HostPort;
        string viaProxy = await RetryAsync(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, hostPort);
            using var reader = new StreamReader(client.GetStream());
            return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
        });
        Assert.Equal("published", viaProxy.Trim());

        Assert.True(_driver.Disconnect(ep1.EndpointId));
        Assert.Null(_env.Host.FindLink(at1.HostInterface));
        using (var inside = Rtnetlink.OpenInNamespace(ns1)) Assert.Null(inside.FindLink("eth0"));
        Assert.False(_driver.Disconnect(ep1.EndpointId));
    }

    [Fact]
    public async Task An_internal_network_gives_no_default_route_and_a_second_network_no_second_one()
    {
        var network = CreateNetwork("internal", @internal: true);
        var other = CreateNetwork("second");
        string ns = _env.CreateNamespace("i");
        var allocator = AddressAllocator.ForNetwork(network.Addressing, []);
        var attachment = _driver.Connect(network, new BridgeEndpoint(NewEndpointId(), ns, allocator.Allocate()));
        Assert.Null(attachment.Gateway);
        var second = _driver.Connect(other, new BridgeEndpoint(NewEndpointId(), ns, AddressAllocator.ForNetwork(other.Addressing, []).Allocate())
        {
            InterfaceName = "eth1",
            DefaultRoute = false,
        });
        Assert.Equal("eth1", second.ContainerInterface);
        string routes = (await NetTestEnvironment.BusyboxInAsync(ns, "ip", "route")).EnsureSuccess().Stdout;
        Assert.DoesNotContain("default", routes);
        Assert.Contains("dev eth0", routes);
        Assert.Contains("dev eth1", routes);
    }

    [Fact]
    public async Task Namespaces_on_different_networks_cannot_reach_each_other()
    {
        var red = CreateNetwork("red");
        var blue = CreateNetwork("blue");
        string nsRed = _env.CreateNamespace("r");
        string nsBlue = _env.CreateNamespace("b");
        var redEndpoint = new BridgeEndpoint(NewEndpointId(), nsRed, AddressAllocator.ForNetwork(red.Addressing, []).Allocate());
        var blueEndpoint = new BridgeEndpoint(NewEndpointId(), nsBlue, AddressAllocator.ForNetwork(blue.Addressing, []).Allocate());
        _driver.Connect(red, redEndpoint);
        _driver.Connect(blue, blueEndpoint);
        // Each still reaches its own gateway, but the host does not route from one bridge to the other.
        Assert.Equal(0, (await NetTestEnvironment.BusyboxInAsync(nsRed, "ping", "-c", "1", "-W", "3", red.Addressing.Gateway.ToString())).ExitCode);
        var across = await NetTestEnvironment.BusyboxInAsync(nsRed, "ping", "-c", "1", "-W", "2", blueEndpoint.Address.ToString());
        Assert.NotEqual(0, across.ExitCode);
    }

    [Fact]
    public void Reconcile_removes_only_this_daemons_leftovers()
    {
        var network = CreateNetwork("nettest");
        var stale = CreateNetwork("stale");
        var allocator = AddressAllocator.ForNetwork(network.Addressing, []);
        string ns1 = _env.CreateNamespace("k");
        string ns2 = _env.CreateNamespace("l");
        var live = new BridgeEndpoint(NewEndpointId(), ns1, allocator.Allocate());
        var leftover = new BridgeEndpoint(NewEndpointId(), ns2, allocator.Allocate());
        _driver.Connect(network, live);
        _driver.Connect(network, leftover);
        string foreign = _env.LinkName("f");
        _env.Host.CreateVethPair(new VethPair(foreign, foreign + "p"));
        var otherDaemon = new BridgeDriver(_env.Host, new DeviceNames("another-daemon-" + _env.Id));

        var removed = _driver.Reconcile([network.BridgeName], [live.EndpointId]);

        Assert.Equal([_env.Names.VethFor(leftover.EndpointId), stale.BridgeName], removed);
        Assert.NotNull(_env.Host.FindLink(_env.Names.VethFor(live.EndpointId)));
        Assert.NotNull(_env.Host.FindLink(network.BridgeName));
        Assert.NotNull(_env.Host.FindLink(foreign));
        Assert.Empty(otherDaemon.Reconcile([], []));
        Assert.NotNull(_env.Host.FindLink(network.BridgeName));
    }

    [Fact]
    public void A_failed_connect_leaves_nothing_behind()
    {
        var network = CreateNetwork("nettest");
        string ns = _env.CreateNamespace("z");
        var allocator = AddressAllocator.ForNetwork(network.Addressing, []);
        var endpoint = new BridgeEndpoint(NewEndpointId(), ns, allocator.Allocate());
        _driver.Connect(network, endpoint);
        // The same interface name again inside the namespace: the kernel refuses, and no host end stays.
        var again = endpoint with { EndpointId = NewEndpointId() };
        Assert.Throws<BerthException>(() => _driver.Connect(network, again));
        Assert.Null(_env.Host.FindLink(_env.Names.VethFor(again.EndpointId)));
        // A second default route fails once the pair exists: the pair is removed again.
        var clash = endpoint with { EndpointId = NewEndpointId(), InterfaceName = "eth1" };
        Assert.Throws<BerthException>(() => _driver.Connect(network, clash));
        Assert.Null(_env.Host.FindLink(_env.Names.VethFor(clash.EndpointId)));
        using var inside = Rtnetlink.OpenInNamespace(ns);
        Assert.Null(inside.FindLink("eth1"));
    }

    private static BackgroundProcess StartBusyboxServer(string netnsPath, string script) =>
        BackgroundProcess.Start("ip", "netns", "exec", Path.GetFileName(netnsPath), "timeout", "20", "sh", "-c", script);

    private static async Task<string> RetryAsync(Func<Task<string>> attempt)
    {
        string last = "";
        for (int i = 0; i < 50; i++)
        {
            try
            {
                last = await attempt();
                if (last.Trim().Length > 0) return last;
            }
            catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
            {
            }
            await Task.Delay(100);
        }
        return last;
    }
}
