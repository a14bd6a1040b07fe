using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>Networks through a real berthd, driven by the docker CLI: create/ls/inspect/rm, names and aliases, isolation, ports, cleanup.</summary>
public sealed class NetworkDaemonTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>An HTTP server on port 80 answering <paramref name="body"/>, made with busybox httpd.</summary>
    private static string[] HttpServer(string body) =>
        ["busybox", "sh", "-c", $"mkdir -p /www && echo {body} > /www/index.html && exec httpd -f -p 80 -h /www"];

    [Fact]
    public async Task Predefined_networks_are_listed_and_cannot_be_removed()
    {
        var ls = (await Daemon.DockerAsync("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")).EnsureSuccess();
        Assert.Contains("bridge bridge local\n", ls.Stdout);
        Assert.Contains("host host local\n", ls.Stdout);
        Assert.Contains("none null local\n", ls.Stdout);
        var rm = await Daemon.DockerAsync("network", "rm", "bridge");
        Assert.Equal(1, rm.ExitCode);
        Assert.Contains("bridge is a pre-defined network and cannot be removed", rm.Stderr);
        var missing = await Daemon.DockerAsync("network", "inspect", "no-such-network");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("network no-such-network not found", missing.Stderr);
        var bridge = (await Daemon.DockerAsync("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "bridge")).EnsureSuccess();
        Assert.StartsWith("berth", bridge.Stdout.Trim());
        Assert.NotEqual("docker0", bridge.Stdout.Trim());
    }

    [Fact]
    public async Task Create_inspect_ls_rm_with_the_docker_cli()
    {
        string name = Unique("net");
        string octet = Random.Shared.Next(100, 250).ToString();
        string id = (await Daemon.DockerAsync("network", "create", "--subnet", $"10.{octet}.7.0/24", "--gateway", $"10.{octet}.7.254",
            "--label", "purpose=test", "--internal", name)).EnsureSuccess().Stdout.Trim();
        try
        {
            Assert.Matches("^[0-9a-f]{64}$", id);
            var inspect = (await Daemon.DockerAsync("network", "inspect", name)).EnsureSuccess();
            using var document = JsonDocument.Parse(inspect.Stdout);
            var network = document.RootElement[0];
            Assert.Equal(id, network.GetProperty("Id").GetString());
            Assert.Equal("bridge", network.GetProperty("Driver").GetString());
            Assert.True(network.GetProperty("Internal").GetBoolean());
            Assert.Equal($"10.{octet}.7.0/24", network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString());
            Assert.Equal($"10.{octet}.7.254", network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString());
            Assert.Equal("test", network.GetProperty("Labels").GetProperty("purpose").GetString());

            var byPrefix = (await Daemon.DockerAsync("network", "inspect", "-f", "{{.Name}}", id[..10])).EnsureSuccess();
            Assert.Equal(name + "\n", byPrefix.Stdout);
            var filtered = (await Daemon.DockerAsync("network", "ls", "-q", "--filter", "label=purpose=test", "--filter", "type=custom")).EnsureSuccess();
            Assert.Contains(id[..12], filtered.Stdout);
            var duplicate = await Daemon.DockerAsync("network", "create", name);
            Assert.Equal(1, duplicate.ExitCode);
            Assert.Contains($"network with name {name} already exists", duplicate.Stderr);
        }
        finally
        {
            (await Daemon.DockerAsync("network", "rm", name)).EnsureSuccess();
        }
        var gone = await Daemon.DockerAsync("network", "inspect", name);
        Assert.Equal(1, gone.ExitCode);
    }

    [Fact]
    public async Task Containers_on_a_user_network_reach_each_other_by_name_and_alias_but_not_across_networks()
    {
        string net = Unique("net");
        string other = Unique("other");
        string server = Unique("srv");
        (await Daemon.DockerAsync("network", "create", net)).EnsureSuccess();
        (await Daemon.DockerAsync("network", "create", other)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync(["run", "-d", "--name", server, "--network", net, "--network-alias", "web", .. HttpServer("hello-from-server")])).EnsureSuccess();
            var byName = await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", $"timeout 5 wget -q -O- http://{server}/; exit $?");
            Assert.True(byName.ExitCode == 0, byName.ToString());
            Assert.Equal("hello-from-server\n", byName.Stdout);
            var byAlias = await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", "ping -c 1 -W 2 web >/dev/null && timeout 5 wget -q -O- http://web/; exit $?");
            Assert.True(byAlias.ExitCode == 0, byAlias.ToString());
            Assert.Equal("hello-from-server\n", byAlias.Stdout);
            var resolv = (await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "cat", "/etc/resolv.conf")).EnsureSuccess();
            Assert.Contains("nameserver 127.0.0.11\n", resolv.Stdout);

            string ip = (await Daemon.DockerAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", server)).EnsureSuccess().Stdout.Trim();
            Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", ip);
            var resolveAcross = await Daemon.DockerAsync("run", "--rm", "--network", other, "busybox", "nslookup", server);
            Assert.NotEqual(0, resolveAcross.ExitCode);
            var reachAcross = await Daemon.DockerAsync("run", "--rm", "--network", other, "busybox", "sh", "-c", $"timeout 2 wget -q -O- http://{ip}/; exit $?");
            Assert.NotEqual(0, reachAcross.ExitCode);

            var rm = await Daemon.DockerAsync("network", "rm", net);
            Assert.Equal(1, rm.ExitCode);
            Assert.Contains("has active endpoints", rm.Stderr);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", server);
            await Daemon.DockerAsync("network", "rm", net, other);
        }
    }

    [Fact]
    public async Task Default_bridge_container_gets_an_address_and_inspect_shows_it_as_dockerd()
    {
        string name = Unique("bridged");
        (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "60")).EnsureSuccess();
        try
        {
            var inspect = (await Daemon.DockerAsync("inspect", name)).EnsureSuccess();
            using var document = JsonDocument.Parse(inspect.Stdout);
            var settings = document.RootElement[0].GetProperty("NetworkSettings");
            string ip = settings.GetProperty("IPAddress").GetString()!;
            Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", ip);
            var bridge = settings.GetProperty("Networks").GetProperty("bridge");
            Assert.Equal(ip, bridge.GetProperty("IPAddress").GetString());
            Assert.Equal(settings.GetProperty("Gateway").GetString(), bridge.GetProperty("Gateway").GetString());
            Assert.StartsWith("02:42:", bridge.GetProperty("MacAddress").GetString());
            Assert.Equal(64, bridge.GetProperty("EndpointID").GetString()!.Length);
            var eth0 = (await Daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", $"ping -c 1 -W 2 {ip} >/dev/null && echo ok")).EnsureSuccess();
            Assert.Equal("ok\n", eth0.Stdout);
            var ps = (await Daemon.DockerAsync("ps", "-q", "--filter", "network=bridge", "--filter", $"name={name}")).EnsureSuccess();
            Assert.NotEmpty(ps.Stdout.Trim());
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task A_net_sysctl_naming_the_containers_interface_is_applied_as_dockerd_applies_it()
    {
        // runc writes sysctls when it creates the container, so eth0 must exist by then even though the rest of the
        // network is otherwise wired while runc works. The reference dockerd prints 1 here too.
        var forwarding = (await Daemon.DockerAsync("run", "--rm", "--sysctl", "net.ipv4.conf.eth0.forwarding=1", "busybox",
            "cat", "/proc/sys/net/ipv4/conf/eth0/forwarding")).EnsureSuccess();
        Assert.Equal("1\n", forwarding.Stdout);
    }

    [Fact]
    public async Task None_and_host_modes()
    {
        var none = (await Daemon.DockerAsync("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link")).EnsureSuccess();
        Assert.Single(none.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lo:", none.Stdout);
        var host = (await Daemon.DockerAsync("run", "--rm", "--network", "host", "busybox", "ip", "-o", "link")).EnsureSuccess();
        Assert.Contains("eth0", host.Stdout);
    }

    [Fact]
    public async Task Published_port_reaches_the_container_and_a_taken_port_fails_the_start_cleanly()
    {
        string server = Unique("pub");
        string second = Unique("pub2");
        (await Daemon.DockerAsync(["run", "-d", "--name", server, "-p", "127.0.0.1::80", .. HttpServer("published")])).EnsureSuccess();
        try
        {
            var port = (await Daemon.DockerAsync("port", server, "80")).EnsureSuccess().Stdout.Trim();
            Assert.StartsWith("127.0.0.1:", port);
            int hostPort = int.Parse(port.Split(':')[1]);
            Assert.Equal("published\n", await FetchAsync(hostPort));

            var taken = await Daemon.DockerAsync(["run", "-d", "--name", second, "-p", $"127.0.0.1:{hostPort}:80", .. HttpServer("x")]);
            Assert.NotEqual(0, taken.ExitCode);
            Assert.Contains($"Bind for 127.0.0.1:{hostPort} failed: port is already allocated", taken.Stderr);
            string secondId = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", second)).EnsureSuccess().Stdout.Trim();
            Assert.False(File.Exists($"/run/berth/netns/{secondId}"));
            Assert.Equal("published\n", await FetchAsync(hostPort));
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", server, second);
        }
    }

    [Fact]
    public async Task Removing_a_container_leaves_no_veth_or_namespace()
    {
        string net = Unique("net");
        (await Daemon.DockerAsync("network", "create", net)).EnsureSuccess();
        try
        {
            string id = (await Daemon.DockerAsync("run", "-d", "--network", net, "-p", "127.0.0.1::80", "busybox", "sleep", "60")).EnsureSuccess().Stdout.Trim();
            string veth = "ve" + new Berth.Engine.Networks.Bridge.DeviceNames(Path.GetFullPath(Daemon.DataRoot)).Prefix;
            string endpoint = (await Daemon.DockerAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").EndpointID}}}}", id)).EnsureSuccess().Stdout.Trim();
            Assert.True(File.Exists($"/run/berth/netns/{id}"));
            Assert.Contains(veth + endpoint[..8], (await Commands.RunAsync("ip", ["-o", "link"])).Stdout);
            (await Daemon.DockerAsync("rm", "-f", id)).EnsureSuccess();
            Assert.False(File.Exists($"/run/berth/netns/{id}"));
            Assert.DoesNotContain(veth + endpoint[..8], (await Commands.RunAsync("ip", ["-o", "link"])).Stdout);
        }
        finally
        {
            (await Daemon.DockerAsync("network", "rm", net)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Connect_and_disconnect_a_running_container()
    {
        string net = Unique("net");
        string name = Unique("conn");
        (await Daemon.DockerAsync("network", "create", net)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "60")).EnsureSuccess();
            (await Daemon.DockerAsync("network", "connect", "--alias", "joined", net, name)).EnsureSuccess();
            var resolved = await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "ping", "-c", "1", "-W", "2", "joined");
            Assert.True(resolved.ExitCode == 0, resolved.ToString());
            var containers = (await Daemon.DockerAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{end}}", net)).EnsureSuccess();
            Assert.Contains(name, containers.Stdout);
            (await Daemon.DockerAsync("network", "disconnect", net, name)).EnsureSuccess();
            var after = (await Daemon.DockerAsync("network", "inspect", "-f", "{{len .Containers}}", net)).EnsureSuccess();
            Assert.Equal("0\n", after.Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task Static_address_mac_and_hostname_and_container_mode_sharing()
    {
        string net = Unique("static");
        string name = Unique("fixed");
        string octet = Random.Shared.Next(100, 250).ToString();
        (await Daemon.DockerAsync("network", "create", "--subnet", $"10.{octet}.9.0/24", net)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("run", "-d", "--name", name, "--network", net, "--ip", $"10.{octet}.9.50",
                "--mac-address", "02:11:22:33:44:55", "--hostname", "fixedhost", "busybox", "sleep", "60")).EnsureSuccess();
            var inside = (await Daemon.DockerAsync("run", "--rm", $"--network=container:{name}", "busybox", "sh", "-c",
                "ip -o -4 addr show eth0 | awk '{print $4}'; cat /sys/class/net/eth0/address; hostname")).EnsureSuccess();
            Assert.Equal($"10.{octet}.9.50/24\n02:11:22:33:44:55\n", string.Join('\n', inside.Stdout.Split('\n').Take(2)) + "\n");
            var hosts = (await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", "ping -c 1 -W 2 fixedhost >/dev/null && echo reached")).EnsureSuccess();
            Assert.Equal("reached\n", hosts.Stdout);
            var taken = await Daemon.DockerAsync("run", "--rm", "--network", net, "--ip", $"10.{octet}.9.50", "busybox", "true");
            Assert.NotEqual(0, taken.ExitCode);
            Assert.Contains("Address already in use", taken.Stderr);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task Publish_all_gives_exposed_ports_ephemeral_host_ports()
    {
        // busybox has no UDP server to test with; the proxy's UDP path is covered by PortPublisherTests.
        string name = Unique("all");
        (await Daemon.DockerAsync(["run", "-d", "--name", name, "--expose", "80", "-P", .. HttpServer("published-all")])).EnsureSuccess();
        try
        {
            var mappings = (await Daemon.DockerAsync("port", name, "80")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("0.0.0.0:", mappings[0]);
            int port = int.Parse(mappings[0].Split(':')[1]);
            Assert.Equal("published-all\n", await FetchAsync(port));
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Internal_networks_give_no_default_route_and_shared_aliases_resolve_to_every_member()
    {
        string net = Unique("internal");
        string first = Unique("rr1");
        string second = Unique("rr2");
        (await Daemon.DockerAsync("network", "create", "--internal", net)).EnsureSuccess();
        try
        {
            var routes = (await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "ip", "route")).EnsureSuccess();
            Assert.DoesNotContain("default", routes.Stdout);
            Assert.NotEmpty(routes.Stdout.Trim());
            (await Daemon.DockerAsync("run", "-d", "--name", first, "--network", net, "--network-alias", "pool", "busybox", "sleep", "60")).EnsureSuccess();
            (await Daemon.DockerAsync("run", "-d", "--name", second, "--network", net, "--network-alias", "pool", "busybox", "sleep", "60")).EnsureSuccess();
            var lookup = (await Daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "nslookup", "-type=a", "pool")).EnsureSuccess();
            Assert.Equal(2, lookup.Stdout.Split('\n').Count(l => l.StartsWith("Address:", StringComparison.Ordinal) && !l.Contains("127.0.0.11")));
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", first, second);
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task A_stopped_container_connected_to_a_second_network_gets_both_at_start()
    {
        string net = Unique("second");
        string name = Unique("twonets");
        (await Daemon.DockerAsync("network", "create", net)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("create", "--name", name, "busybox", "sleep", "60")).EnsureSuccess();
            (await Daemon.DockerAsync("network", "connect", net, name)).EnsureSuccess();
            (await Daemon.DockerAsync("start", name)).EnsureSuccess();
            var networks = (await Daemon.DockerAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}", name)).EnsureSuccess();
            Assert.Matches($@"^bridge=\d+\.\d+\.\d+\.\d+ {net}=\d+\.\d+\.\d+\.\d+ $", networks.Stdout.Trim() + " ");
            (await Daemon.DockerAsync("network", "disconnect", net, name)).EnsureSuccess();
            var after = (await Daemon.DockerAsync("inspect", "-f", "{{len .NetworkSettings.Networks}}", name)).EnsureSuccess();
            Assert.Equal("1\n", after.Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
            await Daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task Links_on_the_default_bridge_are_host_entries()
    {
        string target = Unique("linked");
        (await Daemon.DockerAsync("run", "-d", "--name", target, "busybox", "sleep", "60")).EnsureSuccess();
        try
        {
            var linked = (await Daemon.DockerAsync("run", "--rm", "--link", $"{target}:db", "busybox", "sh", "-c", "ping -c 1 -W 2 db >/dev/null && echo ok")).EnsureSuccess();
            Assert.Equal("ok\n", linked.Stdout);
            var missing = await Daemon.DockerAsync("run", "--rm", "--link", "no-such-container:db", "busybox", "true");
            Assert.Contains("could not get container for no-such-container: No such container: no-such-container", missing.Stderr);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", target);
        }
    }

    /// <summary>GET / on a published port, retried for a few seconds: the server in a just-started container may not listen yet.</summary>
    internal static async Task<string> FetchAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync($"http://127.0.0.1:{port}/");
            }
            catch (HttpRequestException) when (attempt < 25)
            {
                await Task.Delay(200);
            }
        }
    }
}
