using System.Globalization;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Health;

/// <summary>Health checks through the real docker CLI: State.Health, ps status and filter, health_status events.</summary>
public sealed class HealthCheckTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonElement> HealthOfAsync(string name)
    {
        var inspect = (await Daemon.DockerAsync("inspect", "-f", "{{json .State.Health}}", name)).EnsureSuccess();
        return JsonDocument.Parse(inspect.Stdout).RootElement;
    }

    /// <summary>Polls State.Health until its status is the one wanted (bounded: 30 s).</summary>
    private async Task<JsonElement> WaitForStatusAsync(string name, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement health;
        do
        {
            health = await HealthOfAsync(name);
            if (health.ValueKind == JsonValueKind.Object && health.GetProperty("Status").GetString() == status) return health;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"container {name} did not become {status}: {health}");
    }

    [Fact]
    public async Task A_passing_check_is_healthy_with_its_output_logged()
    {
        string name = NewName("hc-ok");
        (await Daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "echo hi; echo there >&2", "--health-interval", "300ms", "busybox", "sleep", "300")).EnsureSuccess();

        var starting = await Daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}");
        var health = await WaitForStatusAsync(name, "healthy");
        var ps = await Daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}");
        var filtered = await Daemon.DockerAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}");

        Assert.EndsWith("(health: starting)", starting.Stdout.Trim());
        Assert.Equal(0, health.GetProperty("FailingStreak").GetInt32());
        var entry = health.GetProperty("Log")[0];
        Assert.Equal(0, entry.GetProperty("ExitCode").GetInt32());
        Assert.Equal("hi\nthere\n", entry.GetProperty("Output").GetString());
        Assert.True(DateTimeOffset.Parse(entry.GetProperty("End").GetString()!, CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(entry.GetProperty("Start").GetString()!, CultureInfo.InvariantCulture));
        Assert.Matches(@"^Up .* \(healthy\)$", ps.Stdout.Trim());
        Assert.Contains(name, filtered.Stdout.Split('\n'));
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Failures_become_unhealthy_after_the_retries_with_events()
    {
        string name = NewName("hc-bad");
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        (await Daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "exit 3", "--health-interval", "300ms", "--health-retries", "2", "busybox", "sleep", "300")).EnsureSuccess();

        var health = await WaitForStatusAsync(name, "unhealthy");
        var ps = await Daemon.DockerAsync("ps", "--filter", "name=" + name, "--filter", "health=unhealthy", "--format", "{{.Names}} {{.Status}}");
        var events = await Daemon.DockerAsync("events", "--since", since,
            "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--filter", "container=" + name, "--format", "{{.Action}}");

        Assert.True(health.GetProperty("FailingStreak").GetInt32() >= 2);
        Assert.Equal(3, health.GetProperty("Log")[0].GetProperty("ExitCode").GetInt32());
        Assert.Matches($@"^{name} Up .* \(unhealthy\)$", ps.Stdout.Trim());
        var actions = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("health_status: unhealthy", actions);
        Assert.Contains("exec_create: /bin/sh -c exit 3", actions);
        Assert.Contains("exec_start: /bin/sh -c exit 3", actions);
        Assert.Contains("exec_die", actions);
        Assert.DoesNotContain("health_status: healthy", actions);
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task A_probe_that_outlives_its_timeout_is_killed_and_fails()
    {
        string name = NewName("hc-slow");
        // "; true" keeps the shell waiting on a child sleep, which the kill must take along.
        (await Daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "sleep 30; true", "--health-interval", "300ms", "--health-timeout", "500ms", "--health-retries", "1", "busybox", "sleep", "300")).EnsureSuccess();

        var health = await WaitForStatusAsync(name, "unhealthy");
        await Task.Delay(2000);
        var processes = (await Daemon.DockerAsync("top", name)).Stdout;

        var entry = health.GetProperty("Log")[0];
        Assert.Equal(-1, entry.GetProperty("ExitCode").GetInt32());
        Assert.Equal("Health check exceeded timeout (500ms)", entry.GetProperty("Output").GetString());
        Assert.True(processes.Split('\n').Count(line => line.TrimEnd().EndsWith(" sleep 30", StringComparison.Ordinal)) <= 1, processes);
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task A_probe_that_cannot_run_fails_with_the_runtimes_message()
    {
        string name = NewName("hc-missing");
        // --health-cmd always means CMD-SHELL; CMD with a missing program comes through the API.
        using var create = await Daemon.Http.PostAsync("/containers/create?name=" + name, new StringContent(
            "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"300\"],\"Healthcheck\":{\"Test\":[\"CMD\",\"/nonexist\"],\"Interval\":300000000,\"Retries\":1}}",
            System.Text.Encoding.UTF8, "application/json"));
        create.EnsureSuccessStatusCode();
        (await Daemon.DockerAsync("start", name)).EnsureSuccess();

        var health = await WaitForStatusAsync(name, "unhealthy");

        var entry = health.GetProperty("Log")[0];
        Assert.Equal(-1, entry.GetProperty("ExitCode").GetInt32());
        Assert.StartsWith("OCI runtime exec failed: ", entry.GetProperty("Output").GetString());
        Assert.Contains("/nonexist", entry.GetProperty("Output").GetString());
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Failures_in_the_start_period_do_not_count()
    {
        string name = NewName("hc-grace");
        (await Daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "test -e /tmp/up", "--health-interval", "2s",
            "--health-start-period", "1m", "--health-start-interval", "300ms", "--health-retries", "1", "busybox", "sleep", "300")).EnsureSuccess();

        await Task.Delay(1500);
        var during = await HealthOfAsync(name);
        (await Daemon.DockerAsync("exec", name, "touch", "/tmp/up")).EnsureSuccess();
        await WaitForStatusAsync(name, "healthy");
        (await Daemon.DockerAsync("exec", name, "rm", "/tmp/up")).EnsureSuccess();
        var after = await WaitForStatusAsync(name, "unhealthy");

        Assert.Equal("starting", during.GetProperty("Status").GetString());
        Assert.Equal(0, during.GetProperty("FailingStreak").GetInt32());
        Assert.True(during.GetProperty("Log").GetArrayLength() >= 2, during.ToString());
        Assert.Equal(1, after.GetProperty("FailingStreak").GetInt32());
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task The_images_healthcheck_runs_and_no_healthcheck_disables_it()
    {
        string source = NewName("hc-src");
        string image = NewName("hc-img");
        (await Daemon.DockerAsync("create", "--name", source, "--health-cmd", "true", "--health-interval", "300ms", "busybox", "sleep", "300")).EnsureSuccess();
        (await Daemon.DockerAsync("commit", source, image)).EnsureSuccess();
        var imageCheck = (await Daemon.DockerAsync("image", "inspect", "-f", "{{json .Config.Healthcheck}}", image)).EnsureSuccess();

        string withCheck = NewName("hc-inh");
        string withRetries = NewName("hc-mrg");
        string without = NewName("hc-none");
        (await Daemon.DockerAsync("run", "-d", "--name", withCheck, image)).EnsureSuccess();
        (await Daemon.DockerAsync("create", "--name", withRetries, "--health-retries", "7", image)).EnsureSuccess();
        (await Daemon.DockerAsync("run", "-d", "--name", without, "--no-healthcheck", image)).EnsureSuccess();

        await WaitForStatusAsync(withCheck, "healthy");
        var merged = (await Daemon.DockerAsync("inspect", "-f", "{{json .Config.Healthcheck}}", withRetries)).Stdout.Trim();
        await Task.Delay(700);
        var none = (await Daemon.DockerAsync("inspect", "-f", "{{json .State.Health}} {{json .Config.Healthcheck}}", without)).Stdout.Trim();
        var ps = (await Daemon.DockerAsync("ps", "--filter", "name=" + without, "--format", "{{.Status}}")).Stdout.Trim();
        var noneFilter = (await Daemon.DockerAsync("ps", "--filter", "health=none", "--format", "{{.Names}}")).Stdout;

        Assert.Equal("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":300000000}", imageCheck.Stdout.Trim());
        Assert.Equal("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":300000000,\"Retries\":7}", merged);
        Assert.Equal("null {\"Test\":[\"NONE\"],\"Interval\":300000000}", none); // Docker's merge, checked against dockerd 20.10
        Assert.DoesNotContain("health", ps);
        Assert.Contains(without, noneFilter.Split('\n'));
        Assert.DoesNotContain(withCheck, noneFilter.Split('\n'));
        await Daemon.DockerAsync("rm", "-f", withCheck, withRetries, without, source);
    }

    [Fact]
    public async Task A_stop_leaves_it_unhealthy_and_a_start_is_starting_again()
    {
        string name = NewName("hc-cycle");
        // The first probe after a start comes one interval later: long enough that `start` and `inspect` see
        // "starting" even on a loaded 2-core machine (with 300 ms the probe sometimes won).
        (await Daemon.DockerAsync("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "1500ms", "busybox", "sleep", "300")).EnsureSuccess();
        await WaitForStatusAsync(name, "healthy");

        (await Daemon.DockerAsync("stop", "-t", "0", name)).EnsureSuccess();
        var stopped = await HealthOfAsync(name);
        (await Daemon.DockerAsync("start", name)).EnsureSuccess();
        var restarted = await HealthOfAsync(name);
        await WaitForStatusAsync(name, "healthy");
        (await Daemon.DockerAsync("pause", name)).EnsureSuccess();
        var paused = await HealthOfAsync(name);
        (await Daemon.DockerAsync("unpause", name)).EnsureSuccess();
        await WaitForStatusAsync(name, "healthy");

        Assert.Equal("unhealthy", stopped.GetProperty("Status").GetString());
        Assert.Equal("starting", restarted.GetProperty("Status").GetString());
        Assert.True(restarted.GetProperty("Log").GetArrayLength() >= 1);
        Assert.Equal("unhealthy", paused.GetProperty("Status").GetString());
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task An_unknown_health_filter_is_refused()
    {
        var ps = await Daemon.DockerAsync("ps", "--filter", "health=bogus");

        Assert.NotEqual(0, ps.ExitCode);
        Assert.Contains("Unrecognised filter value for health: bogus", ps.Stderr);
    }

    [Fact]
    public async Task Berth_cli_shows_the_health_in_ps()
    {
        string name = NewName("hc-berth");
        (await Daemon.BerthAsync("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "300ms", "busybox", "sleep", "300")).EnsureSuccess();

        await WaitForStatusAsync(name, "healthy");
        var ps = await Daemon.BerthAsync("ps", "--filter", "name=" + name, "--filter", "health=healthy", "--format", "{{.Names}} {{.Status}}");

        Assert.Matches($@"^{name} Up .* \(healthy\)$", ps.Stdout.Trim());
        await Daemon.DockerAsync("rm", "-f", name);
    }
}
