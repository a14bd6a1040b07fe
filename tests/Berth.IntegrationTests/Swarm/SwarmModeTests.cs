using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>swarm init, info, nodes, join tokens and leave, driven by the real docker CLI; each test has its own daemon.</summary>
public sealed class SwarmModeTests
{
    [Fact]
    public async Task Init_makes_this_node_the_leader_and_leave_forgets_the_swarm()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        int port = FreePort();
        var init = (await daemon.DockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", $"127.0.0.1:{port}")).EnsureSuccess();
        Assert.Matches(@"^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\.", init.Stdout);
        Assert.Contains("docker swarm join --token SWMTKN-1-", init.Stdout);
        Assert.Contains($" 127.0.0.1:{port}\n", init.Stdout);

        var info = (await daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.Nodes}} {{.Swarm.Managers}} {{.Swarm.NodeAddr}}")).EnsureSuccess();
        Assert.Equal("active true 1 1 127.0.0.1\n", info.Stdout);
        var nodes = (await daemon.DockerAsync("node", "ls", "--format", "{{.Self}} {{.Status}} {{.Availability}} {{.ManagerStatus}}")).EnsureSuccess();
        Assert.Equal("true Ready Active Leader\n", nodes.Stdout);
        var self = (await daemon.DockerAsync("node", "inspect", "self", "--format", "{{.Spec.Role}} {{.ManagerStatus.Addr}}")).EnsureSuccess();
        Assert.Equal($"manager 127.0.0.1:{port}\n", self.Stdout);

        var token = (await daemon.DockerAsync("swarm", "join-token", "-q", "worker")).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$", token);
        var rotated = (await daemon.DockerAsync("swarm", "join-token", "-q", "--rotate", "worker")).EnsureSuccess().Stdout.Trim();
        Assert.NotEqual(token, rotated);
        Assert.Equal(token[..59], rotated[..59]); // the same CA digest

        var again = await daemon.DockerAsync(InitArgs());
        Assert.Contains("This node is already part of a swarm", again.Stderr);
        var refused = await daemon.DockerAsync("swarm", "leave");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Use `--force` to ignore this message", refused.Stderr);

        (await daemon.DockerAsync("swarm", "leave", "--force")).EnsureSuccess();
        Assert.Equal("inactive\n", (await daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Stdout);
        var services = await daemon.DockerAsync("service", "ls");
        Assert.Contains("This node is not a swarm manager", services.Stderr);
    }

    [Fact]
    public async Task A_swarm_and_its_services_survive_a_daemon_killed_and_started_again()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await InitAsync(daemon);
        string name = UniqueName("keep");
        (await daemon.DockerAsync("service", "create", "-d", "--name", name, "--replicas", "2", "--stop-grace-period", "1s",
            "busybox", "sleep", "1000")).EnsureSuccess();
        await WaitForAsync(daemon, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        var before = (await RunningContainersAsync(daemon, name)).Order().ToArray();

        await daemon.KillAsync();
        await daemon.LaunchAsync();

        Assert.Equal("2/2\n", (await daemon.DockerAsync("service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}")).Stdout);
        Assert.Equal(before, (await RunningContainersAsync(daemon, name)).Order().ToArray());
        // The orchestrator runs again: a task whose container is killed gets a successor.
        (await daemon.DockerAsync("kill", before[0])).EnsureSuccess();
        await WaitForAsync(daemon, s => s.Contains("task: non-zero exit (137)"), "service", "ps", name, "--no-trunc", "--format", "{{.Error}}");
        await WaitForAsync(daemon, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2 && !s.Contains(before[0]),
            "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + name);
    }
}
