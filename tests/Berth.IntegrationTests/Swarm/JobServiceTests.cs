using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Job-mode services (replicated-job, global-job) on one berthd, driven by the real docker CLI: tasks that run to
/// completion once, MaxConcurrent at a time, retries by the restart policy, iterations started by updates, the list's
/// job counts, dockerd's refusals, and a daemon killed and started again that does not rerun what completed.
/// </summary>
public sealed class JobServiceTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_replicated_job_completes_its_tasks_at_most_max_concurrent_at_a_time()
    {
        await InitAsync(Daemon);
        string name = UniqueName("job");
        // Without -d the CLI follows the job until it is complete (it polls the service and its tasks).
        var created = (await Daemon.DockerAsync("service", "create", "--name", name, "--mode", "replicated-job", "--replicas", "3",
            "--max-concurrent", "2", "busybox", "sleep", "2")).EnsureSuccess();
        Assert.Contains("active tasks: 2 out of 2 tasks\n", created.Stdout);
        Assert.EndsWith("job complete\n", created.Stdout);

        Assert.Equal($"{name} replicated job 0/2 (3/3 completed)\n", (await Daemon.DockerAsync("service", "ls", "--filter", "name=" + name,
            "--format", "{{.Name}} {{.Mode}} {{.Replicas}}")).Stdout);
        Assert.Contains(name, (await Daemon.DockerAsync("service", "ls", "--filter", "mode=replicated-job", "--format", "{{.Name}}")).Stdout);
        Assert.DoesNotContain(name, (await Daemon.DockerAsync("service", "ls", "--filter", "mode=replicated", "--format", "{{.Name}}")).Stdout);
        var ps = (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.DesiredState}} {{.CurrentState}}")).EnsureSuccess();
        Assert.Equal(3, ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("Complete Complete", StringComparison.Ordinal)));

        using var service = JsonDocument.Parse((await Daemon.DockerAsync("service", "inspect", name)).EnsureSuccess().Stdout);
        var root = service.RootElement[0];
        var job = root.GetProperty("Spec").GetProperty("Mode").GetProperty("ReplicatedJob");
        Assert.Equal((2, 3), (job.GetProperty("MaxConcurrent").GetInt32(), job.GetProperty("TotalCompletions").GetInt32()));
        Assert.Equal("{}", root.GetProperty("JobStatus").GetProperty("JobIteration").GetRawText());
        Assert.True(root.GetProperty("JobStatus").TryGetProperty("LastExecution", out _));

        // Slots 0 to 2, one completed task each, the container exited 0.
        var tasks = await TasksAsync(name);
        Assert.Equal([0, 1, 2], tasks.Select(t => t.TryGetProperty("Slot", out var s) ? s.GetInt32() : 0).Order());
        Assert.All(tasks, t => Assert.Equal("{}", t.GetProperty("JobIteration").GetRawText()));
        Assert.All(tasks, t => Assert.Equal("complete", t.GetProperty("DesiredState").GetString()));

        // Never more than two at once: the last to start started after one of the others finished.
        var runs = new List<(DateTimeOffset Started, DateTimeOffset Finished)>();
        foreach (string id in (await Daemon.DockerAsync("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name)).Stdout
                     .Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var times = (await Daemon.DockerAsync("inspect", "--format", "{{.State.StartedAt}} {{.State.FinishedAt}} {{.State.ExitCode}}", id))
                .EnsureSuccess().Stdout.Trim().Split(' ');
            Assert.Equal("0", times[2]);
            runs.Add((DateTimeOffset.Parse(times[0], CultureInfo.InvariantCulture), DateTimeOffset.Parse(times[1], CultureInfo.InvariantCulture)));
        }
        Assert.Equal(3, runs.Count);
        var last = runs.MaxBy(r => r.Started);
        Assert.True(runs.Where(r => r != last).Min(r => r.Finished) <= last.Started.AddMilliseconds(100));

        (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Updating_a_job_runs_a_new_iteration_and_keeps_the_old_tasks_as_history()
    {
        await InitAsync(Daemon);
        string name = UniqueName("iter");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", name, "--mode", "replicated-job", "--replicas", "2", "busybox", "true")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "0/2 (2/2 completed)", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");

        var updated = (await Daemon.DockerAsync("service", "update", "--force", name)).EnsureSuccess();
        Assert.EndsWith("job complete\n", updated.Stdout);
        Assert.Equal("""{"Index":1}""" + "\n", (await Daemon.DockerAsync("service", "inspect", name, "--format", "{{json .JobStatus.JobIteration}}")).Stdout);
        var tasks = await TasksAsync(name);
        Assert.Equal(4, tasks.Count);
        Assert.Equal(2, tasks.Count(t => t.GetProperty("JobIteration").GetRawText() == """{"Index":1}"""));
        Assert.All(tasks, t => Assert.Equal("complete", t.GetProperty("Status").GetProperty("State").GetString()));

        // docker's scale sets a replicated job's TotalCompletions: one more iteration, of three tasks.
        (await Daemon.DockerAsync("service", "scale", "-d", name + "=3")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "0/2 (3/3 completed)", "service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}");
        Assert.Equal("""{"Index":2}""" + "\n", (await Daemon.DockerAsync("service", "inspect", name, "--format", "{{json .JobStatus.JobIteration}}")).Stdout);
        Assert.Equal(7, (await TasksAsync(name)).Count);

        // Jobs have no rolling update: an update config is refused by the daemon, a mode change too.
        var refused = await Daemon.DockerAsync("service", "update", "--update-parallelism", "2", name);
        Assert.Contains("Error response from daemon: rpc error: code = InvalidArgument desc = Jobs may not have an update config", refused.Stderr);
        var scaleGlobal = await Daemon.DockerAsync("service", "update", "--replicas", "2", name);
        Assert.Contains("replicas can only be used with replicated mode", scaleGlobal.Stderr);
        using var version = JsonDocument.Parse((await Daemon.DockerAsync("service", "inspect", name, "--format", "{{json .Version}}")).Stdout);
        using var body = new StringContent("""{"Name":"NAME","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}},"Mode":{"Replicated":{}}}""".Replace("NAME", name),
            Encoding.UTF8, "application/json");
        using var modeChange = await Daemon.Http.PostAsync($"/services/{name}/update?version={version.RootElement.GetProperty("Index").GetUInt64()}", body);
        Assert.Equal(HttpStatusCode.NotImplemented, modeChange.StatusCode);
        Assert.Equal("""{"message":"rpc error: code = Unimplemented desc = service mode change is not allowed"}""", (await modeChange.Content.ReadAsStringAsync()).Trim());

        (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task A_failing_job_task_is_retried_by_the_restart_policy_until_it_completes_or_attempts_run_out()
    {
        await InitAsync(Daemon);
        string flaky = UniqueName("flaky");
        string volume = UniqueName("jobvol");
        // Fails on its first run, completes on its second.
        (await Daemon.DockerAsync("service", "create", "-d", "--name", flaky, "--mode", "replicated-job", "--restart-delay", "1s",
            "--mount", $"type=volume,source={volume},target=/v", "busybox", "sh", "-c", "test -e /v/ran && exit 0; touch /v/ran; exit 3")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "0/1 (1/1 completed)", "service", "ls", "--filter", "name=" + flaky, "--format", "{{.Replicas}}");
        var states = (await Daemon.DockerAsync("service", "ps", flaky, "--no-trunc", "--format", "{{.DesiredState}} {{.CurrentState}} {{.Error}}")).Stdout;
        Assert.Matches("^Complete Complete .*\nShutdown Failed .* \"task: non-zero exit \\(3\\)\"\n$", states);

        string failing = UniqueName("failing");
        (await Daemon.DockerAsync("service", "create", "-d", "--name", failing, "--mode", "replicated-job", "--restart-delay", "1s",
            "--restart-max-attempts", "1", "busybox", "sh", "-c", "exit 3")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("Shutdown Failed", StringComparison.Ordinal)) == 2,
            "service", "ps", failing, "--format", "{{.DesiredState}} {{.CurrentState}}");
        await Task.Delay(3000);
        Assert.Equal(2, (await TasksAsync(failing)).Count);
        Assert.Equal("0/1 (0/1 completed)\n", (await Daemon.DockerAsync("service", "ls", "--filter", "name=" + failing, "--format", "{{.Replicas}}")).Stdout);

        (await Daemon.DockerAsync("service", "rm", flaky, failing)).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + flaky);
        await Daemon.DockerAsync("volume", "rm", volume);
    }

    [Fact]
    public async Task A_global_job_runs_once_on_each_node()
    {
        await InitAsync(Daemon);
        string name = UniqueName("gjob");
        var created = (await Daemon.DockerAsync("service", "create", "--name", name, "--mode", "global-job", "busybox", "true")).EnsureSuccess();
        Assert.EndsWith("job complete\n", created.Stdout);
        Assert.Equal($"{name} global job 0/0 (1/1 completed)\n", (await Daemon.DockerAsync("service", "ls", "--filter", "name=" + name,
            "--format", "{{.Name}} {{.Mode}} {{.Replicas}}")).Stdout);
        string node = (await Daemon.DockerAsync("node", "inspect", "self", "--format", "{{.ID}}")).Stdout.Trim();
        Assert.Matches($"^{name}\\.{node} Complete Complete .*\n$",
            (await Daemon.DockerAsync("service", "ps", name, "--format", "{{.Name}} {{.DesiredState}} {{.CurrentState}}")).Stdout);
        await Task.Delay(1500);
        Assert.Single(await TasksAsync(name));
        (await Daemon.DockerAsync("service", "rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task The_berth_cli_creates_a_job_and_follows_it_to_completion()
    {
        await InitAsync(Daemon);
        string name = UniqueName("bjob");
        var created = (await Daemon.BerthAsync("service", "create", "--name", name, "--mode", "replicated-job", "--replicas", "2",
            "--max-concurrent", "1", "busybox", "true")).EnsureSuccess();
        Assert.Contains("active tasks: 1 out of 1 tasks\n", created.Stdout);
        Assert.EndsWith("job complete\n", created.Stdout);
        Assert.Equal("replicated job 0/1 (2/2 completed)\n", (await Daemon.BerthAsync("service", "ls", "--filter", "name=" + name,
            "--format", "{{.Mode}} {{.Replicas}}")).Stdout);
        (await Daemon.BerthAsync("service", "rm", name)).EnsureSuccess();
    }

    [Fact]
    public async Task A_daemon_killed_and_started_again_does_not_rerun_completed_job_tasks()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await InitAsync(daemon);
        string name = UniqueName("once");
        (await daemon.DockerAsync("service", "create", "--name", name, "--mode", "replicated-job", "--replicas", "2", "busybox", "true")).EnsureSuccess();
        var before = (await daemon.DockerAsync("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name)).Stdout;

        await daemon.KillAsync();
        await daemon.LaunchAsync();
        await Task.Delay(2500);

        Assert.Equal("0/2 (2/2 completed)\n", (await daemon.DockerAsync("service", "ls", "--filter", "name=" + name, "--format", "{{.Replicas}}")).Stdout);
        Assert.Equal(before, (await daemon.DockerAsync("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + name)).Stdout);
        Assert.Equal(2, (await daemon.DockerAsync("service", "ps", name, "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private async Task<List<JsonElement>> TasksAsync(string service)
    {
        using var response = await Daemon.Http.GetAsync("/tasks?filters=" + Uri.EscapeDataString($$"""{"service":["{{service}}"]}"""));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.EnumerateArray().Select(t => t.Clone())];
    }
}
