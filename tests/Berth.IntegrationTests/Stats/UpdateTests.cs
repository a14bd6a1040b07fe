using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stats;

/// <summary>docker update and berth update against berthd: live cgroup changes, persisted HostConfig, Docker's errors.</summary>
public sealed class UpdateTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<string> RunAsync(params string[] args) =>
        (await Daemon.DockerAsync(["run", "-d", .. args])).EnsureSuccess().Stdout.Trim();

    private async Task<JsonNode> InspectAsync(string id) =>
        JsonNode.Parse((await Daemon.DockerAsync("inspect", id)).EnsureSuccess().Stdout)![0]!;

    private async Task<int> PidAsync(string id) => (int)(await InspectAsync(id))["State"]!["Pid"]!;

    [Fact]
    public async Task Memory_and_pids_of_a_running_container_change_in_its_cgroup_and_in_inspect()
    {
        string id = await RunAsync("-m", "64m", "busybox", "sleep", "600");
        int pid = await PidAsync(id);
        Assert.Equal((64L << 20).ToString(), ContainerCgroup.MemoryLimit(pid));

        var update = await Daemon.DockerAsync("update", "-m", "100m", "--pids-limit", "20", id);
        Assert.Equal(id, update.EnsureSuccess().Stdout.Trim());
        Assert.Equal((100L << 20).ToString(), ContainerCgroup.MemoryLimit(pid));
        Assert.Equal("20", ContainerCgroup.PidsMax(pid));
        var host = (await InspectAsync(id))["HostConfig"]!;
        Assert.Equal(100L << 20, (long)host["Memory"]!);
        Assert.Equal(20, (long)host["PidsLimit"]!);

        (await Daemon.BerthAsync("update", "--cpus", "0.5", "--pids-limit", "-1", id)).EnsureSuccess();
        Assert.Equal("50000", ContainerCgroup.CpuQuota(pid));
        Assert.Equal("max", ContainerCgroup.PidsMax(pid));
        Assert.Equal(500_000_000, (long)(await InspectAsync(id))["HostConfig"]!["NanoCpus"]!);
    }

    [Fact]
    public async Task A_stopped_container_keeps_the_update_and_starts_with_it()
    {
        string id = (await Daemon.DockerAsync("create", "-m", "64m", "busybox", "sleep", "600")).EnsureSuccess().Stdout.Trim();
        (await Daemon.DockerAsync("update", "-m", "80m", "--pids-limit", "30", id)).EnsureSuccess();
        (await Daemon.DockerAsync("start", id)).EnsureSuccess();
        int pid = await PidAsync(id);
        Assert.Equal((80L << 20).ToString(), ContainerCgroup.MemoryLimit(pid));
        Assert.Equal("30", ContainerCgroup.PidsMax(pid));
    }

    [Fact]
    public async Task The_restart_policy_is_updated_and_auto_remove_containers_refuse_one()
    {
        string id = await RunAsync("busybox", "sleep", "600");
        (await Daemon.DockerAsync("update", "--restart", "on-failure:3", id)).EnsureSuccess();
        var policy = (await InspectAsync(id))["HostConfig"]!["RestartPolicy"]!;
        Assert.Equal(("on-failure", 3), ((string)policy["Name"]!, (int)policy["MaximumRetryCount"]!));
        (await Daemon.BerthAsync("update", "--restart", "always", id)).EnsureSuccess();
        Assert.Equal("always", (string?)(await InspectAsync(id))["HostConfig"]!["RestartPolicy"]!["Name"]);

        string removable = await RunAsync("--rm", "busybox", "sleep", "600");
        var refused = await Daemon.DockerAsync("update", "--restart", "always", removable);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"Cannot update container {removable}: Restart policy cannot be updated because AutoRemove is enabled for the container", refused.Stderr);
        using var response = await Daemon.Http.PostAsync($"/containers/{removable}/update",
            new StringContent("""{"RestartPolicy":{"Name":"always"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(409, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invalid_updates_get_dockers_errors_and_change_nothing()
    {
        string id = await RunAsync("busybox", "sleep", "600");
        var small = await Daemon.DockerAsync("update", "-m", "3m", id);
        Assert.Contains("Minimum memory limit allowed is 6MB", small.Stderr);
        var noSwap = await Daemon.DockerAsync("update", "-m", "300m", id);
        Assert.Contains("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", noSwap.Stderr);
        var cpus = await Daemon.DockerAsync("update", "--cpus", "500", id);
        Assert.Contains($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00", cpus.Stderr);
        var shares = await Daemon.DockerAsync("update", "--cpu-shares", "1", id);
        Assert.Contains("the minimum allowed cpu-shares is 2", shares.Stderr);
        Assert.DoesNotContain("level=", shares.Stderr);
        Assert.Equal(0, (long)(await InspectAsync(id))["HostConfig"]!["Memory"]!);
        Assert.Equal(0, (long)(await InspectAsync(id))["HostConfig"]!["CpuShares"]!);
        var none = await Daemon.BerthAsync("update", id);
        Assert.Contains("You must provide one or more flags when using this command.", none.Stderr);
    }

    [Fact]
    public async Task An_update_event_is_published()
    {
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        string id = await RunAsync("busybox", "sleep", "600");
        (await Daemon.DockerAsync("update", "--pids-limit", "50", id)).EnsureSuccess();
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = await Daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "event=update", "--format", "{{.Actor.ID}} {{.Action}}");
        Assert.Contains($"{id} update", events.EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Docker_py_reads_stats_and_updates_a_container()
    {
        string id = await RunAsync("-m", "64m", "busybox", "sleep", "600");
        const string script = """
            import docker, sys
            client = docker.from_env(version="1.41")
            c = client.containers.get(sys.argv[1])
            s = c.stats(stream=False)
            assert s["memory_stats"]["usage"] > 0, s
            assert s["memory_stats"]["limit"] == 64 * 1024 * 1024, s
            assert s["precpu_stats"]["system_cpu_usage"] > 0, s
            assert s["pids_stats"]["current"] == 1, s
            stream = c.stats(decode=True)
            first = next(stream); second = next(stream)
            assert second["preread"] == first["read"], (first["read"], second["preread"])
            stream.close()
            print(c.update(mem_limit="120m", memswap_limit="240m", cpu_shares=512))
            c.reload()
            print(c.attrs["HostConfig"]["Memory"], c.attrs["HostConfig"]["MemorySwap"], c.attrs["HostConfig"]["CpuShares"])
            """;
        var result = await Commands.RunAsync("python3", ["-c", script, id], Daemon.Env, timeout: TimeSpan.FromSeconds(30));
        result.EnsureSuccess();
        Assert.Contains("{'Warnings': None}", result.Stdout); // Docker's null for no warnings
        Assert.Contains($"{120L << 20} {240L << 20} 512", result.Stdout);
    }
}
