using System.Net.Sockets;
using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Swarms of two daemons, driven by the real docker CLI: a manager on a free loopback port and a worker that joins it
/// by token, and what each of them shows and refuses as the worker comes, goes, dies and returns.
/// </summary>
public sealed class MultiNodeTests
{
    private const string WorkerText = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. " +
        "Please run this command on a manager node or promote the current node to a manager.";
    private const string NodeFormat = "{{.Self}} {{.Status}} {{.Availability}} {{.ManagerStatus}}";

    [Fact]
    public async Task A_worker_joins_by_token_shows_on_the_manager_and_leaves()
    {
        await using var manager = await BerthDaemon.StartAsync(withBusybox: false);
        await using var worker = await BerthDaemon.StartAsync(withBusybox: false);
        string address = await InitManagerAsync(manager);
        string token = (await manager.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        Assert.Contains($"docker swarm join --token {token} {address}", (await manager.DockerAsync("swarm", "join-token", "worker")).Stdout);

        var wrong = await worker.DockerAsync("swarm", "join", "--token", token[..^25] + new string('0', 25), address);
        Assert.Contains("rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster", wrong.Stderr);
        string managerToken = (await manager.DockerAsync("swarm", "join-token", "-q", "manager")).EnsureSuccess().Stdout.Trim();
        Assert.Contains("berthd swarms have a single manager: join as a worker", (await worker.DockerAsync("swarm", "join", "--token", managerToken, address)).Stderr);
        // A token naming another CA: the worker refuses this manager before it sends the token.
        char first = token[9] == '0' ? '1' : '0';
        var otherCa = await worker.DockerAsync("swarm", "join", "--token", token[..9] + first + token[10..], address);
        Assert.Contains("remote CA does not match fingerprint. Expected: ", otherCa.Stderr);
        Assert.Equal("inactive\n", (await worker.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Stdout);

        Assert.Equal("This node joined a swarm as a worker.\n", (await worker.DockerAsync("swarm", "join", "--token", token, address)).EnsureSuccess().Stdout);
        string workerId = (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).EnsureSuccess().Stdout.Trim();
        Assert.Equal($"active false {workerId} 127.0.0.1 [{address}]\n", (await worker.DockerAsync("info", "--format",
            "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeID}} {{.Swarm.NodeAddr}} {{range .Swarm.RemoteManagers}}[{{.Addr}}]{{end}}")).Stdout);
        Assert.Contains("Is Manager: false", (await worker.DockerAsync("info")).Stdout);
        Assert.Equal("active true 2 1\n", (await manager.DockerAsync("info", "--format",
            "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.Nodes}} {{.Swarm.Managers}}")).Stdout);
        var nodes = (await manager.DockerAsync("node", "ls", "--format", NodeFormat)).EnsureSuccess().Stdout;
        Assert.Equal(["false Ready Active ", "true Ready Active Leader"], nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal("worker ready 127.0.0.1\n", (await manager.DockerAsync("node", "inspect", workerId, "--format",
            "{{.Spec.Role}} {{.Status.State}} {{.Status.Addr}}")).Stdout);
        Assert.Contains("already part of a swarm", (await worker.DockerAsync("swarm", "join", "--token", token, address)).Stderr);

        foreach (var command in new[] { new[] { "node", "ls" }, ["service", "ls"], ["secret", "ls"], ["config", "ls"], ["swarm", "join-token", "worker"] })
        {
            var refused = await worker.DockerAsync(command);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains(WorkerText, refused.Stderr);
        }
        var inspect = await worker.Http.GetAsync("/swarm");
        Assert.Equal(503, (int)inspect.StatusCode);

        // Removal is refused while the worker is up; leaving (no --force needed on a worker) brings it down.
        Assert.Contains($"node {workerId} is not down and can't be removed", (await manager.DockerAsync("node", "rm", workerId)).Stderr);
        Assert.Equal("Node left the swarm.\n", (await worker.DockerAsync("swarm", "leave")).EnsureSuccess().Stdout);
        Assert.Equal("inactive\n", (await worker.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Stdout);
        Assert.Equal("Down\n", (await manager.DockerAsync("node", "ls", "--filter", "id=" + workerId, "--format", "{{.Status}}")).Stdout);

        // A rotated token no longer joins; the new one does, as a new node; the old node is removable now that it is down.
        (await manager.DockerAsync("swarm", "join-token", "--rotate", "-q", "worker")).EnsureSuccess();
        Assert.Contains("A valid join token is necessary to join this cluster", (await worker.DockerAsync("swarm", "join", "--token", token, address)).Stderr);
        string rotated = (await manager.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        Assert.Equal("This node joined a swarm as a worker.\n", (await worker.BerthAsync("swarm", "join", "--token", rotated, address)).EnsureSuccess().Stdout);
        Assert.NotEqual(workerId, (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout.Trim());
        (await manager.DockerAsync("node", "rm", workerId)).EnsureSuccess();
        Assert.Equal(2, (await manager.DockerAsync("node", "ls", "-q")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        (await manager.DockerAsync("node", "update", "--availability", "drain", (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout.Trim())).EnsureSuccess();
        Assert.Contains("berthd swarms have a single manager",
            (await manager.DockerAsync("node", "promote", (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout.Trim())).Stderr);
    }

    [Fact]
    public async Task A_killed_worker_goes_down_comes_back_and_a_forced_removal_makes_it_leave()
    {
        await using var manager = await BerthDaemon.StartAsync(withBusybox: false);
        await using var worker = await BerthDaemon.StartAsync(withBusybox: false);
        string address = await InitManagerAsync(manager);
        string token = (await manager.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        (await worker.DockerAsync("swarm", "join", "--token", token, address)).EnsureSuccess();
        string workerId = (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).EnsureSuccess().Stdout.Trim();
        string[] status = ["node", "inspect", workerId, "--format", "{{.Status.State}}"];

        await worker.KillAsync();
        await WaitForAsync(manager, s => s == "down\n", status);
        Assert.Contains("heartbeat failure", (await manager.DockerAsync("node", "inspect", workerId, "--format", "{{.Status.Message}}")).Stdout);
        await worker.LaunchAsync();
        await WaitForAsync(manager, s => s == "ready\n", status);
        Assert.Equal(workerId + "\n", (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout);
        // --until names whole seconds here: the last second's events show once it is over.
        var events = await WaitForAsync(manager, e => e.Contains("state.new:ready state.old:down]"),
            "events", "--since", "60s", "--until", "0s", "--filter", "type=node", "--format", "{{.Action}} {{.Actor.Attributes}}");
        Assert.Contains("update map[name:", events);
        Assert.Contains("state.new:down state.old:ready]", events);

        // The manager restarts from its saved state and listens again; the worker reconnects to it.
        await manager.KillAsync();
        await manager.LaunchAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await WaitForAsync(manager, s => s == "ready\n", status);

        // Removed by force while up: the worker learns it at its next connection and leaves on its side.
        (await manager.DockerAsync("node", "rm", "--force", workerId)).EnsureSuccess();
        Assert.Single((await manager.DockerAsync("node", "ls", "-q")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await WaitForAsync(worker, s => s == "inactive\n", "info", "--format", "{{.Swarm.LocalNodeState}}");
    }

    [Fact]
    public async Task Swarm_agent_paths_exist_only_on_the_private_agent_socket()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        foreach (string path in new[] { "/_swarm/assignments", "/v1.45/_swarm/assignments" })
        {
            var response = await daemon.Http.PostAsync(path, new StringContent("{}"));
            Assert.Equal(404, (int)response.StatusCode);
            Assert.Equal("{\"message\":\"page not found\"}", (await response.Content.ReadAsStringAsync()).Trim());
        }
        string agent = Path.Combine(daemon.ExecRoot, "swarm-agent.sock");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent));
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(agent), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://berthd") };
        Assert.Equal("OK", await http.GetStringAsync("/_ping"));
    }

    [Fact]
    public async Task A_join_that_reaches_no_manager_gives_up_and_says_so()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        string nowhere = $"127.0.0.1:{FreePort()}";
        var join = await daemon.DockerAsync("swarm", "join", "--token", "SWMTKN-1-" + new string('1', 50) + "-" + new string('2', 25), nowhere);
        Assert.NotEqual(0, join.ExitCode);
        Assert.Contains($"Timeout was reached before node joined: no manager answered at {nowhere}. The node did not join the swarm", join.Stderr);
        Assert.Equal("inactive\n", (await daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Stdout);
    }

    [Fact]
    public async Task Init_fails_and_leaves_nothing_when_the_listen_port_is_taken()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var init = await daemon.DockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", $"127.0.0.1:{port}");
        Assert.Contains($"listen tcp 127.0.0.1:{port}: bind: address already in use", init.Stderr);
        Assert.Equal("inactive\n", (await daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Stdout);
        Assert.False(Directory.Exists(Path.Combine(daemon.DataRoot, "swarm")));
    }

    /// <summary>swarm init on a free loopback port; answers the manager's address (as join commands name it).</summary>
    private static async Task<string> InitManagerAsync(BerthDaemon manager)
    {
        var init = (await manager.DockerAsync(InitArgs())).EnsureSuccess();
        string address = (await manager.DockerAsync("node", "inspect", "self", "--format", "{{.ManagerStatus.Addr}}")).EnsureSuccess().Stdout.Trim();
        Assert.Contains(" " + address + "\n", init.Stdout);
        return address;
    }
}
