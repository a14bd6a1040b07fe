using System.Net;
using Berth.Engine.Networks.Netlink;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Networks;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// An overlay network spanning two nodes. Each daemon runs in a network namespace of its own (its own interfaces,
/// routes and VXLAN port, as on two machines), the two joined by a veth pair as their underlay; the docker CLI drives
/// them through their sockets. Tasks on both nodes reach each other by address and by name over VXLAN.
/// </summary>
public sealed class OverlayAcrossNodesTests
{
    [Fact]
    public async Task Tasks_on_two_nodes_reach_each_other_over_an_overlay()
    {
        using var env = new NetTestEnvironment();
        var (nodeA, nodeB, addressA) = LinkedNamespaces(env);
        await using var manager = await BerthDaemon.StartInNamespaceAsync(nodeA);
        await using var worker = await BerthDaemon.StartInNamespaceAsync(nodeB);
        (await manager.DockerAsync("swarm", "init", "--advertise-addr", addressA.ToString(), "--listen-addr", $"{addressA}:2377",
            "--data-path-port", "4790")).EnsureSuccess();
        string token = (await manager.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        (await worker.DockerAsync("swarm", "join", "--token", token, $"{addressA}:2377")).EnsureSuccess();

        string network = UniqueName("ov");
        string service = UniqueName("web");
        (await manager.DockerAsync("network", "create", "-d", "overlay", "--attachable", network)).EnsureSuccess();
        (await manager.DockerAsync("service", "create", "-d", "--name", service, "--replicas", "2", "--replicas-max-per-node", "1",
            "--network", network, "--publish", "8080:80", "--stop-grace-period", "1s", "busybox", "sh", "-c", "httpd -p 80 -h /etc; exec sleep 1000")).EnsureSuccess();
        await WaitForAsync(manager, s => s.StartsWith("2/2", StringComparison.Ordinal), "service", "ls", "--filter", "name=" + service, "--format", "{{.Replicas}}");
        string onManager = Assert.Single(await RunningContainersAsync(manager, service));
        string onWorker = Assert.Single(await RunningContainersAsync(worker, service));

        // The worker made the overlay as the manager defined it; the tasks' addresses come from its one pool.
        string id = (await manager.DockerAsync("network", "inspect", network, "--format", "{{.Id}}")).EnsureSuccess().Stdout.Trim();
        Assert.Equal(id + "\n", (await worker.DockerAsync("network", "inspect", network, "--format", "{{.Id}}")).EnsureSuccess().Stdout);
        string managerIp = await AddressOnAsync(manager, onManager, network);
        string workerIp = await AddressOnAsync(worker, onWorker, network);
        Assert.NotEqual(managerIp, workerIp);
        Assert.Contains("mtu 1450", (await manager.DockerAsync("exec", onManager, "ip", "link", "show", "eth0")).EnsureSuccess().Stdout);
        // Both nodes tunnel on the swarm's data path port.
        foreach (var node in new[] { nodeA, nodeB })
            Assert.Contains("dstport 4790", (await Commands.RunAsync("ip", ["-n", Path.GetFileName(node), "-d", "link", "show", "type", "vxlan"])).EnsureSuccess().Stdout);

        // Across the VXLAN tunnel: by address, by the other task's name, and through the service's name.
        (await manager.DockerAsync("exec", onManager, "ping", "-c", "1", "-W", "5", workerIp)).EnsureSuccess();
        Assert.EndsWith(onWorker[..12] + "\n", await HttpGetAsync(manager, onManager, workerIp, "/hostname"));
        string workerTaskName = (await worker.DockerAsync("inspect", onWorker, "--format", "{{.Name}}")).EnsureSuccess().Stdout.Trim().TrimStart('/');
        Assert.EndsWith(onWorker[..12] + "\n", await HttpGetAsync(manager, onManager, workerTaskName, "/hostname"));
        Assert.EndsWith(onManager[..12] + "\n", await HttpGetAsync(worker, onWorker, managerIp, "/hostname"));
        foreach (var (daemon, container) in new[] { (manager, onManager), (worker, onWorker) })
        {
            string lookup = (await daemon.DockerAsync("exec", container, "nslookup", "tasks." + service, "127.0.0.11")).EnsureSuccess().Stdout;
            Assert.Contains(managerIp, lookup);
            Assert.Contains(workerIp, lookup);
        }
        // A large transfer: the 1450-byte MTU leaves room for the encapsulation.
        (await worker.DockerAsync("exec", onWorker, "sh", "-c", "dd if=/dev/urandom of=/etc/big bs=1k count=1024 2>/dev/null")).EnsureSuccess();
        string sum = (await worker.DockerAsync("exec", onWorker, "md5sum", "/etc/big")).EnsureSuccess().Stdout.Split(' ')[0];
        var fetched = await manager.DockerAsync("exec", onManager, "sh", "-c",
            $"printf 'GET /big HTTP/1.0\\r\\n\\r\\n' | nc {workerIp} 80 | tail -c 1048576 | md5sum");
        Assert.Equal(sum, fetched.EnsureSuccess().Stdout.Split(' ')[0]);

        // The manager's routing mesh reaches the worker's task too (through the worker's own mesh port).
        var seen = new HashSet<string>();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); seen.Count < 2 && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var answer = await NetTestEnvironment.BusyboxInAsync(nodeA, "sh", "-c", "printf 'GET /hostname HTTP/1.0\r\n\r\n' | nc -w 5 127.0.0.1 8080 | tail -n 1");
            if (answer.ExitCode == 0 && answer.Stdout.Trim().Length == 12) seen.Add(answer.Stdout.Trim());
        }
        Assert.Equal(new[] { onManager[..12], onWorker[..12] }.Order(), seen.Order());

        // A standalone container attached on the manager reaches the worker's task too.
        var standalone = await manager.DockerAsync("run", "--rm", "--network", network, "busybox", "ping", "-c", "1", "-W", "5", workerIp);
        standalone.EnsureSuccess();

        // Once no task of the worker uses the overlay, the worker's copy and its VXLAN device go.
        (await manager.DockerAsync("service", "rm", service)).EnsureSuccess();
        await WaitForAsync(worker, s => !s.Contains(network), "network", "ls", "--format", "{{.Name}}");
        using var insideB = Rtnetlink.OpenInNamespace(nodeB);
        Assert.DoesNotContain(insideB.ListLinks(), l => l.Kind == "vxlan");
        (await manager.DockerAsync("network", "rm", network)).EnsureSuccess();
        using var insideA = Rtnetlink.OpenInNamespace(nodeA);
        Assert.DoesNotContain(insideA.ListLinks(), l => l.Kind == "vxlan");
    }

    /// <summary>Two namespaces joined by a veth pair on a random /30 (their only link); answers the first one's address.</summary>
    private static (string NodeA, string NodeB, IPAddress AddressA) LinkedNamespaces(NetTestEnvironment env)
    {
        string nodeA = env.CreateNamespace("na");
        string nodeB = env.CreateNamespace("nb");
        uint network = (10u << 24) | (214u << 16) | ((uint)Random.Shared.Next(0, 1 << 14) << 2);
        var addressA = Berth.Engine.Networks.Ipam.Ipv4Subnet.ToAddress(network + 1);
        var addressB = Berth.Engine.Networks.Ipam.Ipv4Subnet.ToAddress(network + 2);
        using (var inB = NetworkNamespace.OpenNamespaceFile(nodeB))
        using (var insideA = Rtnetlink.OpenInNamespace(nodeA))
        {
            insideA.CreateVethPair(new VethPair("under0", "under0") { Up = true, PeerNamespace = inB });
            insideA.AddAddress("under0", addressA, 30);
            insideA.SetUp("lo");
        }
        using var insideB = Rtnetlink.OpenInNamespace(nodeB);
        insideB.AddAddress("under0", addressB, 30);
        insideB.SetUp("under0");
        insideB.SetUp("lo");
        return (nodeA, nodeB, addressA);
    }

    private static async Task<string> AddressOnAsync(BerthDaemon daemon, string container, string network) =>
        (await daemon.DockerAsync("inspect", container, "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}"))
            .EnsureSuccess().Stdout.Trim();

    /// <summary>An HTTP/1.0 GET from inside a container with busybox nc (its wget is not used: the static build's crashes here).</summary>
    private static async Task<string> HttpGetAsync(BerthDaemon daemon, string container, string host, string path) =>
        (await daemon.DockerAsync("exec", container, "sh", "-c", $"printf 'GET {path} HTTP/1.0\\r\\n\\r\\n' | nc -w 5 {host} 80"))
            .EnsureSuccess().Stdout;
}
