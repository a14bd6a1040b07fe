using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>Swarm services on one berthd, driven by the real docker CLI: tasks as containers, scaling, the routing
/// mesh, restart policies, rolling updates and rollback, logs, removal and bad input.</summary>
public sealed class ServiceTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_service_runs_its_replicas_as_labelled_containers_and_scales_both_ways()
    {
        await InitAsync(Daemon);
        string name = UniqueName("web");
        var created = (await Daemon.DockerAsync("service", "create", "--name", name, "--replicas", "2", "--stop-grace-period", "1s",
            "--label", "tier=front", "busybox", "sleep", "1000")).EnsureSuccess();
        Assert.Contains("converged", created.Stdout + created.Stderr);
        Assert.Equal($"{name} replicated 2/2 busybox:latest\n",
            (await Daemon.DockerAsync("service", "ls", "--filter", "label=tier=front", "--filter", "name=" + name,
                "--format", "{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}}")).Stdout);
        var tasks = (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.Name}} {{.DesiredState}} {{.CurrentState}}")).EnsureSuccess();
        Assert.Matches($"^{name}.1 Running Running .*\n{name}.2 Running Running .*\n$", tasks.Stdout);

        var names = (await Daemon.DockerAsync("ps", "--filter", "label=com.docker.swarm.service.name=" + name, "--format",
            "{{.Names}} {{.Label \"com.docker.swarm.task.name\"}}")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, names.Length);
        foreach (string line in names)
        {
            var parts = line.Split(' ');
            Assert.Matches($"^{name}\\.[12]\\.[0-9a-z]{{25}}$", parts[0]);
            Assert.Equal(parts[0], parts[1]);
        }

        (await Daemon.DockerAsync("service", "scale", "-d", name + "=3")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "3/3", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        Assert.Equal(3, (await RunningContainersAsync(Daemon, name)).Length);
        (await Daemon.DockerAsync("service", "scale", "-d", name + "=1")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        await WaitForAsync(Daemon, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1,
            "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name);

        (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name);
        var gone = await Daemon.DockerAsync("service", "inspect", name);
        Assert.Contains($"no such service: {name}", gone.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_routing_mesh_spreads_connections_over_the_running_tasks()
    {
        await InitAsync(Daemon);
        string name = UniqueName("mesh");
        int port = FreePort();
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--replicas", "2", "--stop-grace-period", "1s",
            "-p", $"{port}:80", "busybox", "sh", "-c", "hostname > /tmp/who; exec httpd -f -p 80 -h /tmp")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
            Assert.Equal($"*:{port}->80/tcp\n", (await Daemon.DockerAsync("service", "ls", "--filter", "name=" + name, "--format", "{{.Ports}}")).Stdout);
            var seen = new HashSet<string>();
            for (int i = 0; i < 20 && seen.Count < 2; i++)
                if (await GetAsync(port, "/who") is { } who) seen.Add(who.Trim());
                else await Task.Delay(200);
            var hostnames = (await RunningContainersAsync(Daemon, name)).Select(id => id[..12]).ToHashSet();
            Assert.Equal(hostnames, seen);
        }
        finally
        {
            (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
        }
        await WaitForAsync(Daemon, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name);
        Assert.Null(await GetAsync(port, "/who"));
    }

    [Fact]
    public async Task Failed_tasks_are_restarted_by_policy_and_finished_ones_are_not_with_condition_none()
    {
        await InitAsync(Daemon);
        string failing = UniqueName("fail"), once = UniqueName("once");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", failing, "--restart-delay", "500ms",
            "busybox", "sh", "-c", "echo attempt; exit 3")).EnsureSuccess();
        (await Daemon.DockerAsync("service", "create", "-d", "--name", once, "--restart-condition", "none",
            "busybox", "echo", "done")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Split('\n').Count(l => l.Contains("Failed") && l.Contains("task: non-zero exit (3)")) >= 2,
                "service", "ps", failing, "--no-trunc", "--format", "{{.CurrentState}} {{.Error}}");
            await WaitForAsync(Daemon, s => s.StartsWith("Shutdown Complete", StringComparison.Ordinal),
                "service", "ps", once, "--format", "{{.DesiredState}} {{.CurrentState}}");
            await Task.Delay(1500);
            Assert.Single((await Daemon.DockerAsync("service", "ps", once, "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("0/1\n", (await Daemon.DockerAsync("service", "ls", "--filter", "name=" + once, "--format", "{{.Replicas}}")).Stdout);

            var logs = (await Daemon.DockerAsync("service", "logs", failing)).EnsureSuccess();
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length >= 2, logs.ToString());
            Assert.All(lines, line => Assert.Matches($@"^{failing}\.1\.[0-9a-z]{{12}}@\S+\s+\| attempt$", line));
            var raw = (await Daemon.DockerAsync("service", "logs", "--raw", once)).EnsureSuccess();
            Assert.Equal("done\n", raw.Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", failing, once);
        }
    }

    [Fact]
    public async Task An_update_replaces_the_tasks_one_by_one_and_rollback_brings_the_old_spec_back()
    {
        await InitAsync(Daemon);
        string name = UniqueName("upd");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--replicas", "2", "--stop-grace-period", "1s",
            "-e", "COLOUR=blue", "busybox", "sleep", "1000")).EnsureSuccess();
        try
        {
            await WaitForAsync(Daemon, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
            var first = (await RunningContainersAsync(Daemon, name)).ToHashSet();

            var updated = (await Daemon.DockerAsync("service", "update", "--env-add", "COLOUR=green", name)).EnsureSuccess();
            Assert.Contains("converged", updated.Stdout + updated.Stderr);
            // The CLI and the daemon each wait the monitor period from what they saw: the state may turn a pass later.
            await WaitForAsync(Daemon, s => s == "completed\n", "service", "inspect", name, "--format", "{{.UpdateStatus.State}}");
            var second = await RunningContainersAsync(Daemon, name);
            Assert.Equal(2, second.Length);
            Assert.Empty(second.Intersect(first));
            foreach (string id in second)
                Assert.Contains("COLOUR=green", (await Daemon.DockerAsync("inspect", id, "--format", "{{json .Config.Env}}")).Stdout);
            var history = (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.Name}} {{.DesiredState}}")).Stdout;
            Assert.Equal(2, history.Split('\n').Count(l => l.EndsWith("Shutdown", StringComparison.Ordinal)));

            (await Daemon.DockerAsync("service", "rollback", name)).EnsureSuccess();
            await WaitForAsync(Daemon, s => s == "rollback_completed\n", "service", "inspect", name, "--format", "{{.UpdateStatus.State}}");
            foreach (string id in await RunningContainersAsync(Daemon, name))
                Assert.Contains("COLOUR=blue", (await Daemon.DockerAsync("inspect", id, "--format", "{{json .Config.Env}}")).Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", name);
        }
    }

    [Fact]
    public async Task Bad_requests_get_swarms_errors()
    {
        await InitAsync(Daemon);
        string name = UniqueName("dup");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--stop-grace-period", "1s", "busybox", "sleep", "1000")).EnsureSuccess();
        try
        {
            var duplicate = await Daemon.DockerAsync("service", "create", "-d", "--name", name, "busybox", "true");
            Assert.Contains($"name conflicts with an existing object: service {name} already exists", duplicate.Stderr);
            var badName = await Daemon.DockerAsync("service", "create", "-d", "--name", "bad name!", "busybox", "true");
            Assert.Contains("name must be valid as a DNS name component", badName.Stderr);

            var noImage = await PostAsync("/services/create", """{"Name":"noimage","TaskTemplate":{"ContainerSpec":{}}}""");
            Assert.Equal((400, "rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided"), noImage);
            var malformed = await PostAsync("/services/create", "{bad");
            Assert.Equal(400, malformed.Status);
            var noVersion = await PostAsync($"/services/{name}/update", """{"Name":"x","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}""");
            Assert.Equal((400, "invalid service version '': strconv.ParseUint: parsing \"\": invalid syntax"), noVersion);
            string staleSpec = "{\"Name\":\"" + name + "\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\"}}}";
            var stale = await PostAsync($"/services/{name}/update?version=1", staleSpec);
            Assert.Equal((500, "rpc error: code = Unknown desc = update out of sequence"), stale);
            var missing = await Daemon.Http.GetAsync("/v1.41/services/no-such-service");
            Assert.Equal(404, (int)missing.StatusCode);
            Assert.Equal("service no-such-service not found", Message(await missing.Content.ReadAsStringAsync()));
            var filter = await Daemon.Http.GetAsync("/v1.41/tasks?filters=" + Uri.EscapeDataString("""{"foo":{"x":true}}"""));
            Assert.Equal(400, (int)filter.StatusCode);
            Assert.Equal("Invalid filter 'foo'", Message(await filter.Content.ReadAsStringAsync()));
            string nodeId = (await Daemon.DockerAsync("info", "--format", "{{.Swarm.NodeID}}")).Stdout.Trim();
            var node = await Daemon.DockerAsync("node", "rm", nodeId);
            Assert.Contains("must be demoted to worker before removal", node.Stderr);
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", name);
        }
    }

    [Fact]
    public async Task The_berth_cli_creates_services_and_prints_them_as_docker_does()
    {
        await InitAsync(Daemon);
        string name = UniqueName("cli");
        var created = (await Daemon.BerthAsync("service", "create", "--name", name, "--replicas", "2", "--stop-grace-period", "1s",
            "busybox", "sh", "-c", "echo ready; exec sleep 1000")).EnsureSuccess();
        Assert.Contains($"verify: Service", created.Stdout + created.Stderr);
        try
        {
            foreach (var args in new[]
            {
                new[] { "service", "ls", "--filter", "name=" + name },
                ["service", "ps", name],
                ["service", "ps", "-q", name],
                ["node", "ls"],
                ["service", "inspect", "--format", "{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}", name],
            })
            {
                // The tables show ages ("Running 5 seconds ago"): two runs a second apart may differ by that alone, so
                // a difference counts only if it is there again on the next try.
                string docker = "", berth = "";
                for (int attempt = 0; attempt < 3 && (attempt == 0 || docker != berth); attempt++)
                {
                    docker = (await Daemon.DockerAsync(args)).EnsureSuccess().Stdout;
                    berth = (await Daemon.BerthAsync(args)).EnsureSuccess().Stdout;
                }
                Assert.Equal(docker, berth);
            }
            await WaitForAsync(Daemon, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "service", "logs", "--raw", name);
            var logs = (await Daemon.BerthAsync("service", "logs", name)).EnsureSuccess();
            Assert.Equal(2, logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith("| ready", StringComparison.Ordinal)));
            (await Daemon.BerthAsync("service", "scale", "-d", name + "=1")).EnsureSuccess();
            await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        }
        finally
        {
            (await Daemon.BerthAsync("service", "rm", name)).EnsureSuccess();
        }
    }

    private async Task<(int Status, string Message)> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await Daemon.Http.PostAsync("/v1.41" + path, content);
        return ((int)response.StatusCode, Message(await response.Content.ReadAsStringAsync()));
    }

    private static string Message(string json) => JsonDocument.Parse(json).RootElement.GetProperty("message").GetString() ?? "";
}
