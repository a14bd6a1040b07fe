using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>Where tasks go on one node: placement constraints, a drained node, and ports published in host mode.</summary>
public sealed class PlacementTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_task_no_node_satisfies_stays_pending_until_one_does()
    {
        await InitAsync(Daemon);
        string name = UniqueName("pend");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--constraint", "node.labels.tier==db",
            "--stop-grace-period", "1s", "busybox", "sleep", "1000")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Contains("Pending"), "service", "ps", name, "--format", "{{.CurrentState}}");
            Assert.Equal("\"no suitable node (scheduling constraints not satisfied on 1 node)\"\n",
                (await Daemon.DockerAsync("service", "ps", name, "--no-trunc", "--format", "{{.Error}}")).Stdout);
            Assert.Equal("\n", (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.Node}}")).Stdout);

            string self = (await Daemon.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).EnsureSuccess().Stdout.Trim();
            (await Daemon.DockerAsync("node", "update", "--label-add", "tier=db", self)).EnsureSuccess();
            await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
            Assert.Single(await RunningContainersAsync(Daemon, name));
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", name);
            string self = (await Daemon.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout.Trim();
            await Daemon.DockerAsync("node", "update", "--label-rm", "tier", self);
        }
    }

    [Fact]
    public async Task A_reservation_larger_than_the_node_stays_pending()
    {
        await InitAsync(Daemon);
        string name = UniqueName("big");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--reserve-memory", "100000g", "busybox", "sleep", "1000")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Contains("insufficient resources on 1 node"), "service", "ps", name, "--no-trunc", "--format", "{{.Error}}");
            Assert.Empty(await RunningContainersAsync(Daemon, name));
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", name);
        }
    }

    [Fact]
    public async Task Malformed_constraints_are_refused()
    {
        await InitAsync(Daemon);
        var result = await Daemon.DockerAsync("service", "create", "--name", UniqueName("bad"), "--constraint", "node.role=manager", "busybox", "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("constraint expected one operator from ==, !=", result.Stderr);
    }

    [Fact]
    public async Task A_port_published_in_host_mode_is_bound_by_the_tasks_container()
    {
        await InitAsync(Daemon);
        string name = UniqueName("hostp");
        int port = FreePort();
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--stop-grace-period", "1s",
            "--publish", $"mode=host,target=80,published={port}", "busybox", "sh", "-c", "echo here > /tmp/x; exec httpd -f -p 80 -h /tmp")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
            string id = Assert.Single(await RunningContainersAsync(Daemon, name));
            Assert.Equal($"0.0.0.0:{port}->80/tcp", (await Daemon.DockerAsync("ps", "--filter", "id=" + id, "--format", "{{.Ports}}")).Stdout.Split(',')[0].Trim());
            Assert.Equal($"*:{port}->80/tcp", (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.Ports}}")).Stdout.Trim());
            string? body = null;
            for (int i = 0; i < 20 && body is null; i++)
                if ((body = await GetAsync(port, "/x")) is null) await Task.Delay(200);
            Assert.Equal("here\n", body);
        }
        finally
        {
            (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
        }
    }
}
