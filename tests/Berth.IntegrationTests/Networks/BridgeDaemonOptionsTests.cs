using System.Net.Sockets;
using Berth.Engine.Networks.Bridge;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>
/// dockerd's networking settings (daemon.json and flags) and the bridge driver's options, checked with the docker CLI
/// against daemons of the test's own. Subnets 10.187.x.0/24 are this file's; traffic goes to loopback and to the
/// daemons' own bridges only.
/// </summary>
public sealed class BridgeDaemonOptionsTests
{
    [Fact]
    public async Task Bip_fixed_cidr_mtu_and_ip_shape_the_default_bridge()
    {
        await using var config = new ConfigFile("""{"bip": "10.187.10.1/24", "fixed-cidr": "10.187.10.128/25", "mtu": 1400, "ip": "127.0.0.1"}""");
        await using var daemon = await BerthDaemon.StartAsync(true, ["--config-file", config.Path]);

        var ipam = (await daemon.DockerAsync("network", "inspect", "-f", "{{json .IPAM.Config}}", "bridge")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("""[{"Subnet":"10.187.10.0/24","IPRange":"10.187.10.128/25","Gateway":"10.187.10.1"}]""", ipam);
        var options = (await daemon.DockerAsync("network", "inspect", "-f", "{{json .Options}}", "bridge")).EnsureSuccess().Stdout.Trim();
        string bridgeName = new DeviceNames(Path.GetFullPath(daemon.DataRoot)).DefaultBridge;
        Assert.Equal("{\"com.docker.network.bridge.default_bridge\":\"true\",\"com.docker.network.bridge.enable_icc\":\"true\","
            + "\"com.docker.network.bridge.enable_ip_masquerade\":\"true\",\"com.docker.network.bridge.host_binding_ipv4\":\"127.0.0.1\","
            + $"\"com.docker.network.bridge.name\":\"{bridgeName}\",\"com.docker.network.driver.mtu\":\"1400\"}}", options);

        // Addresses come from fixed-cidr, its first address included (as dockerd hands it out).
        var inside = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c",
            "ip -4 -o addr show eth0 | awk '{print $4}'; ip route | grep default | awk '{print $3}'; cat /sys/class/net/eth0/mtu");
        Assert.Equal("10.187.10.128/24\n10.187.10.1\n1400\n", inside.EnsureSuccess().Stdout);

        // A port that names no host address binds "ip" only.
        (await daemon.DockerAsync("run", "-d", "--name", "web", "-p", "80", "busybox", "sh", "-c", "echo hi > /tmp/i; exec httpd -f -p 80 -h /tmp")).EnsureSuccess();
        var port = (await daemon.DockerAsync("port", "web", "80")).EnsureSuccess().Stdout.Trim();
        Assert.StartsWith("127.0.0.1:", port);
        int hostPort = int.Parse(port["127.0.0.1:".Length..]);
        Assert.True(await ConnectsAsync("127.0.0.1", hostPort));
        Assert.False(await ConnectsAsync("10.187.10.1", hostPort));
        var hostIp = (await daemon.DockerAsync("inspect", "-f", "{{json .NetworkSettings.Ports}}", "web")).EnsureSuccess().Stdout.Trim();
        Assert.Equal($$"""{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"{{hostPort}}"}]}""", hostIp);
    }

    [Fact]
    public async Task Icc_false_keeps_containers_apart_while_the_gateway_answers()
    {
        await using var daemon = await BerthDaemon.StartAsync(true, ["--bip=10.187.11.1/24", "--icc=false"]);
        Assert.Equal("false", (await daemon.DockerAsync("network", "inspect", "-f",
            "{{index .Options \"com.docker.network.bridge.enable_icc\"}}", "bridge")).EnsureSuccess().Stdout.Trim());
        await AssertIsolatedAsync(daemon, "bridge", "10.187.11.1", isolated: true);

        // The same on a user-defined network with the driver's option; without it, containers talk.
        (await daemon.DockerAsync("network", "create", "--subnet", "10.187.16.0/24", "-o", "com.docker.network.bridge.enable_icc=false",
            "-o", "com.docker.network.driver.mtu=1450", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "apart")).EnsureSuccess();
        var options = (await daemon.DockerAsync("network", "inspect", "-f", "{{json .Options}}", "apart")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("{\"com.docker.network.bridge.enable_icc\":\"false\",\"com.docker.network.bridge.enable_ip_masquerade\":\"false\","
            + "\"com.docker.network.driver.mtu\":\"1450\"}", options);
        await AssertIsolatedAsync(daemon, "apart", "10.187.16.1", isolated: true);
        var mtu = await daemon.DockerAsync("run", "--rm", "--network", "apart", "busybox", "cat", "/sys/class/net/eth0/mtu");
        Assert.Equal("1450\n", mtu.EnsureSuccess().Stdout);
        (await daemon.DockerAsync("network", "create", "--subnet", "10.187.17.0/24", "together")).EnsureSuccess();
        await AssertIsolatedAsync(daemon, "together", "10.187.17.1", isolated: false);

        var invalid = await daemon.DockerAsync("network", "create", "-o", "com.docker.network.bridge.enable_icc=maybe", "wrong");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing \"maybe\": invalid syntax)", invalid.Stderr);
        foreach (string network in new[] { "apart", "together" }) (await daemon.DockerAsync("network", "rm", network)).EnsureSuccess();
    }

    [Fact]
    public async Task Bridge_none_leaves_no_default_bridge_and_containers_get_loopback_only()
    {
        await using var config = new ConfigFile("""{"bridge": "none"}""");
        await using var daemon = await BerthDaemon.StartAsync(true, ["--config-file", config.Path]);
        var names = (await daemon.DockerAsync("network", "ls", "--format", "{{.Name}}")).EnsureSuccess().Stdout;
        Assert.Equal("host\nnone\n", string.Concat(names.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().Select(n => n + "\n")));
        var inspect = await daemon.DockerAsync("network", "inspect", "bridge");
        Assert.Contains("network bridge not found", inspect.Stderr);
        // dockerd runs such a container with its loopback only, published ports or not.
        var run = await daemon.DockerAsync("run", "--rm", "-p", "80", "busybox", "sh", "-c", "ls /sys/class/net");
        Assert.Equal("lo\n", run.EnsureSuccess().Stdout);
        Assert.Empty(await DevicesTaggedAsync(daemon, "bridge"));
    }

    [Fact]
    public async Task Changed_settings_make_the_default_bridge_again_unless_containers_still_run_on_it()
    {
        await using var config = new ConfigFile("""{"bip": "10.187.12.1/24"}""");
        await using var daemon = await BerthDaemon.StartAsync(true, ["--config-file", config.Path]);
        string id = await InspectAsync(daemon, "{{.Id}}");

        await daemon.StopAsync();
        config.Write("""{"bip": "10.187.13.1/24", "mtu": 1450}""");
        await daemon.LaunchAsync();
        Assert.Equal(id, await InspectAsync(daemon, "{{.Id}}"));
        Assert.Equal("10.187.13.0/24 1450", await InspectAsync(daemon, "{{range .IPAM.Config}}{{.Subnet}}{{end}} {{index .Options \"com.docker.network.driver.mtu\"}}"));
        var inside = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'; cat /sys/class/net/eth0/mtu");
        Assert.Equal("10.187.13.2/24\n1450\n", inside.EnsureSuccess().Stdout);

        // A container still running on it (the daemon killed, the container kept by its shim): the old bridge stays.
        (await daemon.DockerAsync("run", "-d", "--name", "stays", "busybox", "sleep", "300")).EnsureSuccess();
        await daemon.KillAsync();
        config.Write("""{"bip": "10.187.12.1/24"}""");
        await daemon.LaunchAsync();
        Assert.Equal("10.187.13.0/24", await InspectAsync(daemon, "{{range .IPAM.Config}}{{.Subnet}}{{end}}"));
        Assert.Contains("There are old running containers, the network config will not take affect", daemon.Log());
        (await daemon.DockerAsync("rm", "-f", "stays")).EnsureSuccess();
    }

    [Fact]
    public async Task An_existing_host_bridge_is_used_as_it_is_and_left_in_place()
    {
        string bridge = "brbt" + Guid.NewGuid().ToString("N")[..6];
        (await Commands.RunAsync("/bin/sh", ["-c", $"ip link add {bridge} type bridge && ip addr add 10.187.14.1/24 dev {bridge} && ip link set {bridge} up"])).EnsureSuccess();
        try
        {
            await using (var daemon = await BerthDaemon.StartAsync(true, ["-b", bridge]))
            {
                Assert.Equal("10.187.14.0/24 10.187.14.1", await InspectAsync(daemon, "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}"));
                var inside = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'; ping -c1 -W2 10.187.14.1 >/dev/null && echo gateway");
                Assert.Equal("10.187.14.2/24\ngateway\n", inside.EnsureSuccess().Stdout);
            }
            Assert.Equal(0, (await Commands.RunAsync("ip", ["link", "show", bridge])).ExitCode);
        }
        finally
        {
            await Commands.RunAsync("ip", ["link", "delete", bridge]);
        }
        // Gone now: the daemon refuses to start, as dockerd does.
        var missing = await RunBerthdAsync("-b", bridge);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"bridge device with non default name {bridge} must be created manually", missing.Stdout + missing.Stderr);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_daemon_with_dockerds_message()
    {
        var result = await RunBerthdAsync("--bip=foo");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("failed to start daemon: Error initializing network controller: invalid CIDR address: foo", result.Stderr);
        result = await RunBerthdAsync("--icc=false", "--iptables=false");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ICC=false uses iptables to function", result.Stderr);
    }

    /// <summary>A berthd expected to stop at start, on roots of its own that are removed afterwards.</summary>
    private static async Task<CommandResult> RunBerthdAsync(params string[] args)
    {
        string suffix = Guid.NewGuid().ToString("N")[..8];
        string root = Path.Combine(Path.GetTempPath(), "berth-refused-" + suffix), execRoot = "/run/bt-" + suffix;
        try
        {
            return await Commands.RunAsync(BerthBinaries.Daemon, ["--config-file=/dev/null", "-H", $"unix://{root}/berth.sock",
                "--data-root", $"{root}/data", "--exec-root", execRoot, "--pidfile", $"{root}/berthd.pid", .. args]);
        }
        finally
        {
            await Commands.RunAsync("rm", ["-rf", root, execRoot]);
        }
    }

    [Fact]
    public async Task Iptables_false_installs_no_rules_and_ip_masq_false_no_nat()
    {
        await using (var daemon = await BerthDaemon.StartAsync(true, ["--bip=10.187.15.1/24", "--iptables=false"]))
        {
            string table = new DeviceNames(Path.GetFullPath(daemon.DataRoot)).FirewallTable;
            Assert.NotEqual(0, (await Commands.RunAsync("nft", ["list", "table", "ip", table])).ExitCode);
            Assert.Equal("false", await InspectAsync(daemon, "{{index .Options \"com.docker.network.bridge.enable_ip_masquerade\"}}"));
            var ping = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "ping -c1 -W2 10.187.15.1 >/dev/null && echo gateway");
            Assert.Equal("gateway\n", ping.EnsureSuccess().Stdout);
        }
        await using (var daemon = await BerthDaemon.StartAsync(false, ["--bip=10.187.18.1/24", "--ip-masq=false"]))
        {
            string table = new DeviceNames(Path.GetFullPath(daemon.DataRoot)).FirewallTable;
            var rules = (await Commands.RunAsync("nft", ["list", "table", "ip", table])).EnsureSuccess().Stdout;
            Assert.DoesNotContain("masquerade", rules);
            Assert.Contains("drop", rules);
        }
    }

    /// <summary>Two containers on <paramref name="network"/>: whether one reaches the other, and that both reach the gateway.</summary>
    private static async Task AssertIsolatedAsync(BerthDaemon daemon, string network, string gateway, bool isolated)
    {
        string target = "t" + Guid.NewGuid().ToString("N")[..8];
        (await daemon.DockerAsync("run", "-d", "--name", target, "--network", network, "busybox", "sleep", "300")).EnsureSuccess();
        try
        {
            string address = (await daemon.DockerAsync("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", target)).EnsureSuccess().Stdout.Trim();
            var probe = await daemon.DockerAsync("run", "--rm", "--network", network, "busybox", "sh", "-c",
                $"ping -c1 -W1 {address} >/dev/null && echo peer || echo no-peer; ping -c1 -W2 {gateway} >/dev/null && echo gateway");
            Assert.Equal(isolated ? "no-peer\ngateway\n" : "peer\ngateway\n", probe.EnsureSuccess().Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", target);
        }
    }

    private static async Task<string> InspectAsync(BerthDaemon daemon, string format) =>
        (await daemon.DockerAsync("network", "inspect", "-f", format, "bridge")).EnsureSuccess().Stdout.Trim();

    private static async Task<string[]> DevicesTaggedAsync(BerthDaemon daemon, string kind)
    {
        string tag = new DeviceNames(Path.GetFullPath(daemon.DataRoot)).OwnerTag;
        var links = await Commands.RunAsync("/bin/sh", ["-c", $"ip -d -o link show type {kind} | grep -F ' alias {tag}' || true"]);
        return links.EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<bool> ConnectsAsync(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A daemon.json of the test's own, rewritten between restarts.</summary>
    private sealed class ConfigFile : IAsyncDisposable
    {
        public ConfigFile(string json)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"berth-bridge-{Guid.NewGuid():N}.json");
            Write(json);
        }

        public string Path { get; }

        public void Write(string json) => File.WriteAllText(Path, json);

        public ValueTask DisposeAsync()
        {
            File.Delete(Path);
            return ValueTask.CompletedTask;
        }
    }
}
