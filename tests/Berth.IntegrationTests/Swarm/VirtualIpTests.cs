using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Services' virtual IPs (endpoint mode vip), driven by the real docker CLI on a single-node swarm: the address shown
/// in Endpoint.VirtualIPs as Docker shows it, the service's name resolving to it and tasks.&lt;service&gt; to the tasks,
/// connections to it (TCP and UDP, on ports nobody published) spread over the running tasks and kept working as the
/// service scales and the daemon restarts; a dnsrr service has none. All traffic stays on the test daemon's overlay.
/// </summary>
public sealed class VirtualIpTests
{
    /// <summary>An HTTP/1.0 GET with busybox nc (the static busybox's wget crashes here); prints the page's last line.</summary>
    private static string Get(string host) => $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 {host} 80 | tail -n 1";

    private const string Server = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www";

    /// <summary>A UDP responder (the test's busybox nc has no -u): answers each datagram with argv[1], ends at "bye" or after 60 s.</summary>
    private const string UdpResponder = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 7000))
        s.settimeout(60)
        while True:
            data, peer = s.recvfrom(100)
            if data == b"bye":
                break
            s.sendto(sys.argv[1].encode(), peer)
        """;

    /// <summary>argv: address, count, then the responders' own addresses; one datagram per new socket, the answer printed; "bye" to each at the end.</summary>
    private const string UdpClient = """
        import socket, sys
        address, count, responders = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
        for _ in range(count):
            for attempt in range(20):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(0.5)
                try:
                    s.sendto(b"hi", (address, 7000))
                    print(s.recv(100).decode(), flush=True)
                    break
                except OSError:
                    pass  # a responder still starting
                finally:
                    s.close()
        for responder in responders:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"bye", (responder, 7000))
        """;

    [Fact]
    public async Task A_vip_service_answers_at_one_address_balanced_over_its_running_tasks()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await InitAsync(daemon);
        string overlay = UniqueName("ovl"), web = UniqueName("web"), rr = UniqueName("rr"), client = UniqueName("cli");
        (await daemon.DockerAsync("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.239.5.0/24", overlay)).EnsureSuccess();
        string networkId = (await daemon.DockerAsync("network", "inspect", overlay, "--format", "{{.Id}}")).EnsureSuccess().Stdout.Trim();
        (await daemon.DockerAsync("service", "create", "-d", "--name", web, "--replicas", "2", "--network", $"name={overlay},alias=site",
            "--stop-grace-period", "1s", "busybox", "sh", "-c", Server)).EnsureSuccess();
        (await daemon.DockerAsync("service", "create", "-d", "--name", rr, "--endpoint-mode", "dnsrr", "--network", overlay,
            "--stop-grace-period", "1s", "busybox", "sh", "-c", Server)).EnsureSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", client, "--network", overlay, "busybox", "sleep", "600")).EnsureSuccess();

        // The first address of the network goes to the first service, before its tasks (as swarm's allocator does).
        var vips = JsonDocument.Parse((await daemon.DockerAsync("service", "inspect", web, "--format", "{{json .Endpoint.VirtualIPs}}")).EnsureSuccess().Stdout).RootElement;
        var vip = Assert.Single(vips.EnumerateArray());
        Assert.Equal(networkId, vip.GetProperty("NetworkID").GetString());
        Assert.Equal("10.239.5.2/24", vip.GetProperty("Addr").GetString());
        Assert.Equal("null\n", (await daemon.DockerAsync("service", "inspect", rr, "--format", "{{json .Endpoint.VirtualIPs}}")).Stdout);

        await WaitForAsync(daemon, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + web, "--format", "{{.Replicas}}");
        await WaitForAsync(daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + rr, "--format", "{{.Replicas}}");
        var tasks = await TaskAddressesAsync(daemon, web, overlay);
        Assert.Equal(2, tasks.Count);
        Assert.DoesNotContain("10.239.5.2", tasks.Keys);
        string rrAddress = Assert.Single(await TaskAddressesAsync(daemon, rr, overlay)).Key;

        Assert.Equal(["10.239.5.2"], await ResolveAsync(daemon, client, web));
        Assert.Equal(["10.239.5.2"], await ResolveAsync(daemon, client, "site"));
        Assert.Equal(tasks.Keys.Order(), (await ResolveAsync(daemon, client, "tasks." + web)).Order());
        Assert.Equal([rrAddress], await ResolveAsync(daemon, client, rr));
        Assert.Equal([rrAddress], await ResolveAsync(daemon, client, "tasks." + rr));

        // TCP and UDP to ports no one published: each connection lands on a running task, both tasks are reached.
        var seen = await FetchAsync(daemon, client, Get(web), 30);
        Assert.Equal(tasks.Values.Order(), seen.Distinct().Order());
        var udp = await UdpAsync(daemon, client, web, "10.239.5.2", 16);
        Assert.Equal(16, udp.Count);
        Assert.Equal(tasks.Values.Order(), udp.Distinct().Order());
        // A task reaches its own service through the address too.
        string taskContainer = (await RunningContainersAsync(daemon, web))[0];
        Assert.All(await FetchAsync(daemon, taskContainer, Get(web), 5), h => Assert.Contains(h, tasks.Values));

        (await daemon.DockerAsync("service", "scale", "-d", web + "=1")).EnsureSuccess();
        await WaitForAsync(daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + web, "--format", "{{.Replicas}}");
        await WaitForAsync(daemon, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1,
            "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + web);
        string left = Assert.Single(await TaskAddressesAsync(daemon, web, overlay)).Value;
        await WaitUntilOnlyAsync(daemon, client, web, left);
        Assert.Equal(vips.GetRawText() + "\n", (await daemon.DockerAsync("service", "inspect", web, "--format", "{{json .Endpoint.VirtualIPs}}")).Stdout);

        // The address survives a daemon restart, and so do the rules.
        await daemon.KillAsync();
        await daemon.LaunchAsync();
        Assert.Equal(vips.GetRawText() + "\n", (await daemon.DockerAsync("service", "inspect", web, "--format", "{{json .Endpoint.VirtualIPs}}")).Stdout);
        await WaitUntilOnlyAsync(daemon, client, web, left);

        // Removing the service gives the address back: the next service gets it.
        (await daemon.DockerAsync("service", "rm", web)).EnsureSuccess();
        string next = UniqueName("next");
        (await daemon.DockerAsync("service", "create", "-d", "--name", next, "--network", overlay, "busybox", "sleep", "600")).EnsureSuccess();
        Assert.Equal("10.239.5.2/24\n", (await daemon.DockerAsync("service", "inspect", next, "--format", "{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}")).Stdout);
        (await daemon.DockerAsync("rm", "-f", client)).EnsureSuccess();
        (await daemon.DockerAsync("swarm", "leave", "--force")).EnsureSuccess();
    }

    /// <summary>
    /// UDP datagrams from the client container to the virtual IP, each from a new socket (a new flow), answered by a
    /// responder in each task's namespace with the task's hostname: the answers, one per datagram.
    /// </summary>
    private static async Task<List<string>> UdpAsync(BerthDaemon daemon, string client, string service, string address, int count)
    {
        var responders = new List<Task<CommandResult>>();
        var taskAddresses = new List<string>();
        foreach (string container in await RunningContainersAsync(daemon, service))
        {
            var fields = (await daemon.DockerAsync("inspect", container, "--format",
                "{{.NetworkSettings.SandboxKey}} {{.Config.Hostname}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")).EnsureSuccess().Stdout.Trim().Split(' ');
            taskAddresses.Add(fields[2]);
            responders.Add(Commands.RunAsync("nsenter", ["--net=" + fields[0], "python3", "-c", UdpResponder, fields[1]], timeout: TimeSpan.FromSeconds(90)));
        }
        string sandbox = (await daemon.DockerAsync("inspect", client, "--format", "{{.NetworkSettings.SandboxKey}}")).EnsureSuccess().Stdout.Trim();
        var sent = (await Commands.RunAsync("nsenter", ["--net=" + sandbox, "python3", "-c", UdpClient, address, count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. taskAddresses],
            timeout: TimeSpan.FromSeconds(90))).EnsureSuccess();
        foreach (var responder in responders) (await responder).EnsureSuccess();
        return [.. sent.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The running tasks' containers of a service: address on the overlay → hostname.</summary>
    private static async Task<Dictionary<string, string>> TaskAddressesAsync(BerthDaemon daemon, string service, string overlay)
    {
        var result = new Dictionary<string, string>();
        foreach (string container in await RunningContainersAsync(daemon, service))
        {
            var fields = (await daemon.DockerAsync("inspect", container, "--format",
                $"{{{{(index .NetworkSettings.Networks \"{overlay}\").IPAddress}}}} {{{{.Config.Hostname}}}}")).EnsureSuccess().Stdout.Trim().Split(' ');
            result[fields[0]] = fields[1];
        }
        return result;
    }

    private static async Task<List<string>> ResolveAsync(BerthDaemon daemon, string container, string name)
    {
        var lookup = (await daemon.DockerAsync("exec", container, "nslookup", "-type=a", name)).EnsureSuccess().Stdout;
        return [.. lookup.Split('\n').SkipWhile(l => !l.StartsWith("Name:", StringComparison.Ordinal))
            .Where(l => l.StartsWith("Address: ", StringComparison.Ordinal)).Select(l => l["Address: ".Length..].Trim())];
    }

    /// <summary>Runs <paramref name="command"/> <paramref name="times"/> times in the container, one answer (a hostname) per line.</summary>
    private static async Task<List<string>> FetchAsync(BerthDaemon daemon, string container, string command, int times)
    {
        var result = (await daemon.DockerAsync("exec", container, "sh", "-c", $"for i in $(seq 1 {times}); do {command}; done")).EnsureSuccess();
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == times, $"{times} answers expected: {result}");
        return [.. lines];
    }

    /// <summary>Polls (bounded: 20 s) until ten connections in a row all reach <paramref name="hostname"/>.</summary>
    private static async Task WaitUntilOnlyAsync(BerthDaemon daemon, string container, string service, string hostname)
    {
        string last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var result = await daemon.DockerAsync("exec", container, "sh", "-c", $"for i in $(seq 1 10); do {Get(service)}; done");
            last = result.ToString();
            if (result.ExitCode == 0 && result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: 10 } lines && lines.All(l => l == hostname)) return;
        }
        throw new Xunit.Sdk.XunitException($"connections to {service} never all reached {hostname}; last: {last}");
    }
}
