using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Netlink;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// Containers of a real berthd beyond the host: masqueraded from the default bridge and from a user network to an
/// outside of the test's own; nothing forwarded for an internal network or between two networks, with forwarding on.
/// </summary>
public sealed class NatDaemonTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly NetTestEnvironment _env = new();

    private BerthDaemon Daemon => fixture.Daemon;

    public void Dispose() => _env.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A user network's bridge: named by the daemon's <see cref="DeviceNames"/> from the network's ID.</summary>
    private string BridgeOf(string networkId) => new DeviceNames(Path.GetFullPath(Daemon.DataRoot)).BridgeFor(networkId);

    [Fact]
    public async Task Containers_on_the_default_bridge_and_on_a_user_network_reach_the_outside_masqueraded_behind_the_host()
    {
        var outside = OutsideHost.Create(_env);
        const int port = 8091;
        using var listener = outside.Listen(port);
        string net = Unique("nat");
        (await Daemon.DockerAsync("network", "create", net)).EnsureSuccess();
        try
        {
            Assert.Equal("1", Sysctl.Read("net.ipv4.ip_forward"));
            foreach (string network in new[] { "bridge", net })
            {
                var accepted = OutsideHost.AcceptOneAsync(listener, TimeSpan.FromSeconds(15));
                var run = await Daemon.DockerAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", $"timeout 5 nc {outside.Address} {port}; exit $?");
                Assert.True(run.ExitCode == 0, $"{network}: {run}");
                Assert.Equal("outside\n", run.Stdout);
                Assert.Equal(outside.HostSide, await accepted);
            }
        }
        finally
        {
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task An_internal_networks_container_cannot_reach_the_outside_even_with_a_route_of_its_own()
    {
        var outside = OutsideHost.Create(_env);
        const int port = 8092;
        using var listener = outside.Listen(port);
        string net = Unique("internal");
        (await Daemon.DockerAsync("network", "create", "--internal", net)).EnsureSuccess();
        try
        {
            string gateway = (await Daemon.DockerAsync("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", net)).EnsureSuccess().Stdout.Trim();
            var accepted = OutsideHost.AcceptOneAsync(listener, TimeSpan.FromSeconds(6));
            var run = await Daemon.DockerAsync("run", "--rm", "--network", net, "--cap-add", "NET_ADMIN", "busybox", "sh", "-c",
                $"ip route add {outside.Address}/32 via {gateway} && timeout 4 nc {outside.Address} {port}; exit $?");
            Assert.NotEqual(0, run.ExitCode);
            Assert.DoesNotContain("outside", run.Stdout);
            Assert.Null(await accepted);
        }
        finally
        {
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task Two_networks_of_the_daemon_cannot_reach_each_other_though_both_bridges_forward()
    {
        string first = Unique("left"), second = Unique("right"), server = Unique("server");
        string firstId = (await Daemon.DockerAsync("network", "create", first)).EnsureSuccess().Stdout.Trim();
        string secondId = (await Daemon.DockerAsync("network", "create", second)).EnsureSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("1", Sysctl.Read("net.ipv4.ip_forward"));
            Assert.Equal("1", Sysctl.Read($"net/ipv4/conf/{BridgeOf(firstId)}/forwarding"));
            Assert.Equal("1", Sysctl.Read($"net/ipv4/conf/{BridgeOf(secondId)}/forwarding"));
            (await Daemon.DockerAsync("run", "-d", "--name", server, "--network", first, "busybox", "sh", "-c",
                "mkdir -p /www && echo left > /www/index.html && exec httpd -f -p 80 -h /www")).EnsureSuccess();
            string ip = (await Daemon.DockerAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{first}\").IPAddress}}}}", server)).EnsureSuccess().Stdout.Trim();

            var same = await Daemon.DockerAsync("run", "--rm", "--network", first, "busybox", "sh", "-c", $"timeout 5 wget -q -O- http://{ip}/");
            Assert.True(same.ExitCode == 0, same.ToString());
            Assert.Equal("left\n", same.Stdout);
            // "; exit $?" keeps sh as PID 1: busybox timeout's SIGTERM would not end a PID 1 without a handler.
            // Routed by the host (the other network's gateway is the default route), then dropped by the isolation rules.
            var across = await Daemon.DockerAsync("run", "--rm", "--network", second, "busybox", "sh", "-c", $"timeout 3 wget -q -O- http://{ip}/; exit $?");
            Assert.NotEqual(0, across.ExitCode);
            var ping = await Daemon.DockerAsync("run", "--rm", "--network", second, "busybox", "ping", "-c", "1", "-W", "2", ip);
            Assert.NotEqual(0, ping.ExitCode);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", server);
            await Daemon.DockerAsync("network", "rm", first, second);
        }
    }
}
