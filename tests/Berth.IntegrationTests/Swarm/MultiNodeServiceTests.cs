using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Services on a swarm of two daemons (a manager and a worker), driven by the real docker CLI on the manager: tasks
/// spread over both nodes, the worker runs its share, logs, secrets and global services reach it, and tasks leave a
/// node that is drained or dies.
/// </summary>
public sealed class MultiNodeServiceTests
{
    [Fact]
    public async Task Replicas_spread_over_both_nodes_and_move_off_a_drained_one()
    {
        await using var manager = await BerthDaemon.StartAsync();
        await using var worker = await BerthDaemon.StartAsync();
        string workerId = await JoinAsync(manager, worker);
        string name = UniqueName("spread");
        (await manager.DockerAsync("service", "create", "-d", "--name", name, "--replicas", "4", "--stop-grace-period", "1s",
            "busybox", "sh", "-c", "echo hello from $(hostname); exec sleep 1000")).EnsureSuccess();

        await WaitForAsync(manager, s => s.Trim() == "4/4", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        var onManager = await RunningContainersAsync(manager, name);
        var onWorker = await RunningContainersAsync(worker, name);
        Assert.Equal((2, 2), (onManager.Length, onWorker.Length));
        var taskIds = (await manager.DockerAsync("service", "ps", "-q", name)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var nodes = (await manager.DockerAsync(["inspect", "--format", "{{.NodeID}}", .. taskIds])).EnsureSuccess().Stdout;
        Assert.Equal(2, nodes.Split('\n').Count(n => n == workerId));
        // The worker's containers carry their task's labels, as swarm's executor makes them.
        Assert.Equal(workerId + "\n", (await worker.DockerAsync("inspect", onWorker[0], "--format", "{{index .Config.Labels \"com.docker.swarm.node.id\"}}")).Stdout);

        // service logs gathers the lines of the tasks on both nodes.
        var expected = onManager.Concat(onWorker).Select(id => "hello from " + id[..12]).Order().ToList();
        var lines = await WaitForAsync(manager, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 4, "service", "logs", "--raw", name);
        Assert.Equal(expected, lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        // An update replaces the worker's tasks too, each old one stopped before its successor starts (stop-first).
        (await manager.DockerAsync("service", "update", "--env-add", "COLOUR=green", name)).EnsureSuccess();
        var replaced = await RunningContainersAsync(worker, name);
        Assert.Equal(2, replaced.Length);
        Assert.Empty(replaced.Intersect(onWorker));
        var started = (await worker.DockerAsync(["inspect", "--format", "{{.State.StartedAt}}", .. replaced])).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseTime).Min();
        var stopped = (await worker.DockerAsync(["inspect", "--format", "{{.State.FinishedAt}}", .. onWorker])).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseTime).Min();
        Assert.True(stopped <= started, $"an old task stopped at {stopped:O}, after the first new one started at {started:O}");
        foreach (string id in replaced)
            Assert.Contains("COLOUR=green", (await worker.DockerAsync("inspect", id, "--format", "{{json .Config.Env}}")).Stdout);

        // Draining the worker moves its tasks to the manager; the worker stops its containers.
        (await manager.DockerAsync("node", "update", "--availability", "drain", workerId)).EnsureSuccess();
        await WaitForAsync(worker, s => s.Trim().Length == 0, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + name);
        await WaitForAsync(manager, s => s.Trim() == "4/4", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        Assert.Equal(4, (await RunningContainersAsync(manager, name)).Length);

        // Scaling down and removing the service reach the worker too: nothing of it is left there.
        (await manager.DockerAsync("node", "update", "--availability", "active", workerId)).EnsureSuccess();
        (await manager.DockerAsync("service", "rm", name)).EnsureSuccess();
        await WaitForAsync(worker, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name);
        await WaitForAsync(manager, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name);
    }

    [Fact]
    public async Task Secrets_global_services_and_a_dead_worker()
    {
        await using var manager = await BerthDaemon.StartAsync();
        await using var worker = await BerthDaemon.StartAsync();
        string workerId = await JoinAsync(manager, worker);

        // A task placed on the worker gets its secret there; its logs come back through the manager.
        string secret = UniqueName("pw");
        (await manager.DockerWithInputAsync("hunter2", "secret", "create", secret, "-")).EnsureSuccess();
        string reader = UniqueName("reader");
        (await manager.DockerAsync("service", "create", "-d", "--name", reader, "--constraint", "node.role==worker", "--secret", secret,
            "--stop-grace-period", "1s", "busybox", "sh", "-c", $"cat /run/secrets/{secret}; echo; exec sleep 1000")).EnsureSuccess();
        await WaitForAsync(manager, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + reader, "--format", "{{.Replicas}}");
        Assert.Single(await RunningContainersAsync(worker, reader));
        await WaitForAsync(manager, s => s == "hunter2\n", "service", "logs", "--raw", reader);

        // A global service runs one task on each node.
        string everywhere = UniqueName("global");
        (await manager.DockerAsync("service", "create", "-d", "--name", everywhere, "--mode", "global", "--stop-grace-period", "1s",
            "busybox", "sleep", "1000")).EnsureSuccess();
        await WaitForAsync(manager, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + everywhere, "--format", "{{.Replicas}}");
        Assert.Single(await RunningContainersAsync(manager, everywhere));
        Assert.Single(await RunningContainersAsync(worker, everywhere));

        // The worker dies: its replicated task cannot go elsewhere (the constraint) and waits; the global one is not
        // wanted on a node that is down. Back, the worker stops what the manager shut down meanwhile.
        string spread = UniqueName("moved");
        (await manager.DockerAsync("service", "create", "-d", "--name", spread, "--replicas", "2", "--stop-grace-period", "1s",
            "busybox", "sleep", "1000")).EnsureSuccess();
        await WaitForAsync(manager, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + spread, "--format", "{{.Replicas}}");
        await worker.KillAsync();
        await WaitForAsync(manager, s => s == "down\n", "node", "inspect", workerId, "--format", "{{.Status.State}}");
        await WaitForAsync(manager, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + spread);
        await WaitForAsync(manager, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + spread, "--format", "{{.Replicas}}");
        await WaitForAsync(manager, s => s.Contains("Pending"), "service", "ps", reader, "--filter", "desired-state=running", "--format", "{{.CurrentState}}");

        await worker.LaunchAsync();
        await WaitForAsync(manager, s => s == "ready\n", "node", "inspect", workerId, "--format", "{{.Status.State}}");
        await WaitForAsync(worker, s => s.Trim().Length == 0, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + spread);
        await WaitForAsync(manager, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + reader, "--format", "{{.Replicas}}");
        await WaitForAsync(manager, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + everywhere, "--format", "{{.Replicas}}");
        (await manager.DockerAsync("service", "rm", reader, everywhere, spread)).EnsureSuccess();
    }

    /// <summary>An RFC 3339 time with nanoseconds, as docker prints it (.NET reads at most seven fractional digits).</summary>
    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"(\.\d{7})\d+", "$1"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A manager on a free loopback port and the worker joined to it; answers the worker's node ID.</summary>
    private static async Task<string> JoinAsync(BerthDaemon manager, BerthDaemon worker)
    {
        (await manager.DockerAsync(InitArgs())).EnsureSuccess();
        string address = (await manager.DockerAsync("node", "inspect", "self", "--format", "{{.ManagerStatus.Addr}}")).EnsureSuccess().Stdout.Trim();
        string token = (await manager.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        (await worker.DockerAsync("swarm", "join", "--token", token, address)).EnsureSuccess();
        return (await worker.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).EnsureSuccess().Stdout.Trim();
    }
}
