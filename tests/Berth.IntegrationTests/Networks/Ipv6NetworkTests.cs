using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Engine.Networks.Bridge;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// Dual-stack user-defined bridges (network create --ipv6) through a real berthd and the docker CLI: IPAM and inspect as
/// dockerd 20.10 shows them, containers reaching each other over IPv6 by address and by name (AAAA), /etc/hosts, ports
/// published on [::] proxied to the container's IPv6 address, and the ip6 nftables table following the networks.
/// </summary>
public sealed class Ipv6NetworkTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A v4 and a v6 subnet no other test uses: 10.N.M.0/24 and fdNN:MMMM::/64.</summary>
    private static (string V4, string V6, string V6Prefix) Subnets()
    {
        int a = Random.Shared.Next(100, 250), b = Random.Shared.Next(1, 250), c = Random.Shared.Next(0x1000, 0xffff);
        return ($"10.{a}.{b}.0/24", $"fd{a:x2}:{c:x4}::/64", $"fd{a:x2}:{c:x4}::");
    }

    private Task<CommandResult> ListIp6TableAsync() =>
        Commands.RunAsync("nft", ["list", "table", "ip6", new DeviceNames(Path.GetFullPath(Daemon.DataRoot)).FirewallTable]);

    [Fact]
    public async Task Create_and_inspect_show_both_ipam_configs_as_dockerd_does()
    {
        string name = Unique("net6");
        var (v4, v6, _) = Subnets();
        (await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, name)).EnsureSuccess();
        try
        {
            var inspect = (await Daemon.DockerAsync("network", "inspect", "-f", "{{.EnableIPv6}} {{json .IPAM.Config}}", name)).EnsureSuccess();
            Assert.Equal($"true [{{\"Subnet\":\"{v4}\"}},{{\"Subnet\":\"{v6}\"}}]\n", inspect.Stdout);
            var ls = (await Daemon.DockerAsync("network", "ls", "--filter", "name=" + name, "--format", "{{.Name}} {{.IPv6}}")).EnsureSuccess();
            Assert.Equal($"{name} true\n", ls.Stdout);
            var overlap = await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v6, Unique("dup"));
            Assert.Equal(1, overlap.ExitCode);
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
        }
        finally
        {
            (await Daemon.DockerAsync("network", "rm", name)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Ipv6_needs_an_ipv6_subnet_and_the_bridge_driver_takes_one_of_each_family()
    {
        var (v4, v6, prefix) = Subnets();
        var noPool = await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v4, Unique("nopool"));
        Assert.Equal(1, noPool.ExitCode);
        Assert.Contains("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network", noPool.Stderr);
        var two = await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v6, "--subnet", prefix.Replace("::", ":1::") + "/64", Unique("two"));
        Assert.Equal(1, two.ExitCode);
        Assert.Contains("bridge driver doesn't support multiple subnets", two.Stderr);

        // Only an IPv6 subnet: the IPv4 side is planned, and shown with its gateway, as dockerd does.
        string name = Unique("v6only");
        (await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v6, "--gateway", prefix + "fe", name)).EnsureSuccess();
        try
        {
            var config = (await Daemon.DockerAsync("network", "inspect", "-f", "{{json .IPAM.Config}}", name)).EnsureSuccess().Stdout;
            using var document = JsonDocument.Parse(config);
            Assert.Equal(2, document.RootElement.GetArrayLength());
            Assert.True(document.RootElement[0].TryGetProperty("Gateway", out _));
            Assert.Equal(v6, document.RootElement[1].GetProperty("Subnet").GetString());
            Assert.Equal(prefix + "fe", document.RootElement[1].GetProperty("Gateway").GetString());
        }
        finally
        {
            (await Daemon.DockerAsync("network", "rm", name)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Containers_reach_each_other_over_ipv6_by_address_and_by_name()
    {
        string net = Unique("net6");
        string first = Unique("one");
        string second = Unique("two");
        var (v4, v6, prefix) = Subnets();
        (await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, net)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("run", "-d", "--name", first, "--network", net, "busybox", "sleep", "120")).EnsureSuccess();
            (await Daemon.DockerAsync("run", "-d", "--name", second, "--network", net, "--ip6", prefix + "99", "--network-alias", "al6",
                "busybox", "sleep", "120")).EnsureSuccess();

            var settings = (await Daemon.DockerAsync("inspect", "-f",
                $"{{{{with index .NetworkSettings.Networks \"{net}\"}}}}{{{{.GlobalIPv6Address}}}} {{{{.GlobalIPv6PrefixLen}}}} {{{{.IPv6Gateway}}}} {{{{json .IPAMConfig}}}}{{{{end}}}}",
                first, second)).EnsureSuccess();
            Assert.Equal($"{prefix}2 64 {prefix}1 null\n{prefix}99 64 {prefix}1 {{\"IPv6Address\":\"{prefix}99\"}}\n", settings.Stdout);
            var containers = (await Daemon.DockerAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv6Address}};{{end}}", net)).EnsureSuccess();
            Assert.Contains($"{second} {prefix}99/64;", containers.Stdout);

            // The container's own side: its address (usable at once), the default route via the gateway, ::1 on lo.
            var addresses = (await Daemon.DockerAsync("exec", first, "ip", "-6", "addr")).EnsureSuccess().Stdout;
            Assert.Contains($"inet6 {prefix}2/64 scope global", addresses);
            Assert.Contains("inet6 ::1/128", addresses);
            Assert.DoesNotContain("tentative", addresses.Split('\n').First(l => l.Contains(prefix + "2/", StringComparison.Ordinal)));
            Assert.Contains($"default via {prefix}1 dev eth0", (await Daemon.DockerAsync("exec", first, "ip", "-6", "route")).EnsureSuccess().Stdout);

            (await Daemon.DockerAsync("exec", first, "ping6", "-c", "1", "-W", "5", prefix + "99")).EnsureSuccess();
            var byName = (await Daemon.DockerAsync("exec", first, "ping6", "-c", "1", "-W", "5", second)).EnsureSuccess();
            Assert.Contains($"({prefix}99)", byName.Stdout);
            (await Daemon.DockerAsync("exec", second, "ping6", "-c", "1", "-W", "5", first)).EnsureSuccess();
            var aaaa = (await Daemon.DockerAsync("exec", first, "nslookup", "-type=AAAA", "al6", "127.0.0.11")).EnsureSuccess();
            Assert.Contains($"Address: {prefix}99", aaaa.Stdout);
            var ptr = (await Daemon.DockerAsync("exec", first, "nslookup", prefix + "99", "127.0.0.11")).EnsureSuccess();
            Assert.Contains($"name = {second}.{net}", ptr.Stdout);

            // TCP over IPv6 between the two: nc serving one line, read by the other.
            (await Daemon.DockerAsync("exec", "-d", second, "sh", "-c", "echo hello-v6 | nc -l -p 7070")).EnsureSuccess();
            string reply = "";
            for (int attempt = 0; attempt < 50 && !reply.Contains("hello-v6", StringComparison.Ordinal); attempt++)
            {
                reply = (await Daemon.DockerAsync("exec", first, "sh", "-c", $"nc -w 2 {prefix}99 7070 </dev/null")).Stdout;
                if (!reply.Contains("hello-v6", StringComparison.Ordinal)) await Task.Delay(100);
            }
            Assert.Contains("hello-v6", reply);

            // dockerd's /etc/hosts: the container's IPv6 line after its IPv4 one.
            string hosts = (await Daemon.DockerAsync("exec", first, "cat", "/etc/hosts")).EnsureSuccess().Stdout;
            string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Config.Hostname}}", first)).EnsureSuccess().Stdout.Trim();
            Assert.EndsWith($"\t{id}\n{prefix}2\t{id}\n", hosts);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", first, second);
            (await Daemon.DockerAsync("network", "rm", net)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task The_ip6_table_masquerades_dual_stack_networks_and_goes_with_the_last_one()
    {
        string net = Unique("nat6");
        string plain = Unique("plain");
        var (v4, v6, _) = Subnets();
        string id = (await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, net)).EnsureSuccess().Stdout.Trim();
        string plainId = (await Daemon.DockerAsync("network", "create", plain)).EnsureSuccess().Stdout.Trim();
        var names = new DeviceNames(Path.GetFullPath(Daemon.DataRoot));
        try
        {
            string table = (await ListIp6TableAsync()).EnsureSuccess().Stdout;
            Assert.Contains($"ip6 saddr {v6} oifname != \"{names.BridgeFor(id)}\" masquerade comment \"berth network {net}\"", table);
            Assert.Contains($"iifname \"{names.BridgeFor(id)}\" oifname != \"{names.BridgeFor(id)}\" jump isolate", table);
            // An IPv4-only network has no IPv6 rules.
            Assert.DoesNotContain(names.BridgeFor(plainId), table);
            Assert.Equal("1", File.ReadAllText("/proc/sys/net/ipv6/conf/all/forwarding").Trim());
        }
        finally
        {
            (await Daemon.DockerAsync("network", "rm", net, plain)).EnsureSuccess();
        }
        // Other tests' dual-stack networks may still be there: then only this one's rules are gone.
        var after = await ListIp6TableAsync();
        Assert.True(after.ExitCode != 0 || !after.Stdout.Contains(names.BridgeFor(id), StringComparison.Ordinal), after.Stdout);
        Assert.NotEqual(0, (await Commands.RunAsync("ip", ["link", "show", names.BridgeFor(id)])).ExitCode);
    }

    [Fact]
    public async Task A_port_published_on_the_ipv6_wildcard_reaches_the_container_over_ipv6()
    {
        string net = Unique("port6");
        string server = Unique("web6");
        var (v4, v6, prefix) = Subnets();
        (await Daemon.DockerAsync("network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, net)).EnsureSuccess();
        try
        {
            // The server listens on its IPv6 address only: an answer proves the proxy's IPv6 side connects there
            // (docker-proxy -container-ip fd..::2 for a host address of [::]), not to the IPv4 address.
            (await Daemon.DockerAsync("run", "-d", "--name", server, "--network", net, "--ip6", prefix + "2", "-p", "80", "busybox", "sh", "-c",
                $"mkdir -p /www && echo served-v6 > /www/index.html && exec httpd -f -p [{prefix}2]:80 -h /www")).EnsureSuccess();
            var ports = (await Daemon.DockerAsync("port", server, "80")).EnsureSuccess().Stdout;
            string line = ports.Split('\n').First(l => l.StartsWith("[::]:", StringComparison.Ordinal));
            int port = int.Parse(line["[::]:".Length..]);
            string body = "";
            for (int attempt = 0; attempt < 50 && !body.Contains("served-v6", StringComparison.Ordinal); attempt++)
            {
                try
                {
                    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    body = await client.GetStringAsync($"http://[::1]:{port}/");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }
            Assert.Contains("served-v6", body);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", server);
            (await Daemon.DockerAsync("network", "rm", net)).EnsureSuccess();
        }
    }
}
