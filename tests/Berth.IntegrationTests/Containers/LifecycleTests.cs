using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Detached containers: logs, ps, inspect, stop, kill, restart, rename, rm, wait.</summary>
public sealed class LifecycleTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    [Fact]
    public async Task Detached_container_logs_with_tail_and_timestamps()
    {
        string name = Unique("logs");
        var run = await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2");
        Assert.Equal(64, run.Stdout.Trim().Length);
        Assert.Equal(0, (await Daemon.DockerAsync("wait", name)).ExitCode);
        var logs = await Daemon.DockerAsync("logs", name);
        Assert.Equal("line1\nline2\nline3\nline4\nline5\n", logs.Stdout);
        Assert.Equal("oops\n", logs.Stderr);
        var tail = await Daemon.DockerAsync("logs", "--tail", "2", name);
        Assert.Equal("line5\n", tail.Stdout);
        Assert.Equal("oops\n", tail.Stderr);
        var stamped = await Daemon.DockerAsync("logs", "-t", "--tail", "1", name);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z oops\n$", stamped.Stderr);
    }

    [Fact]
    public async Task Logs_follow_ends_when_the_container_exits()
    {
        string name = Unique("follow");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "echo a; sleep 1; echo b");
        var follow = await Daemon.DockerAsync("logs", "-f", name);
        Assert.Equal("a\nb\n", follow.Stdout);
    }

    [Fact]
    public async Task Ps_filters_and_format()
    {
        string running = Unique("ps-run"), exited = Unique("ps-exit");
        await Daemon.DockerAsync("run", "-d", "--name", running, "-l", "suite=ps", "busybox", "sleep", "300");
        await Daemon.DockerAsync("run", "--name", exited, "-l", "suite=ps", "busybox", "sh", "-c", "exit 4");
        var names = await Daemon.DockerAsync("ps", "--filter", "label=suite=ps", "--format", "{{.Names}}");
        Assert.Equal(running + "\n", names.Stdout);
        var all = await Daemon.DockerAsync("ps", "-a", "--filter", "label=suite=ps", "--format", "{{.Names}} {{.Status}}");
        Assert.Contains($"{exited} Exited (4)", all.Stdout);
        Assert.Contains($"{running} Up", all.Stdout);
        var byExit = await Daemon.DockerAsync("ps", "-a", "--filter", "exited=4", "--filter", "label=suite=ps", "-q");
        Assert.Single(byExit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var byStatus = await Daemon.DockerAsync("ps", "-a", "--filter", "status=running", "--filter", "label=suite=ps", "--format", "{{.Names}}");
        Assert.Equal(running + "\n", byStatus.Stdout);
        await Daemon.DockerAsync("rm", "-f", running, exited);
    }

    [Fact]
    public async Task Stop_honours_sigterm()
    {
        string name = Unique("term");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done");
        await Task.Delay(300);
        var stop = await Daemon.DockerAsync("stop", name);
        Assert.Equal(0, stop.ExitCode);
        var code = await Daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}} {{.State.Running}}", name);
        Assert.Equal("42 false\n", code.Stdout);
    }

    [Fact]
    public async Task Stop_kills_after_the_timeout()
    {
        string name = Unique("kill");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
        await Task.Delay(300);
        var started = DateTime.UtcNow;
        await Daemon.DockerAsync("stop", "-t", "1", name);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        var code = await Daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", name);
        Assert.Equal("137\n", code.Stdout);
    }

    [Fact]
    public async Task Restart_runs_the_container_again()
    {
        string name = Unique("restart");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        string firstPid = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", name)).Stdout;
        Assert.Equal(0, (await Daemon.DockerAsync("restart", "-t", "0", name)).ExitCode);
        var state = await Daemon.DockerAsync("inspect", "-f", "{{.State.Running}} {{.State.Pid}}", name);
        Assert.StartsWith("true ", state.Stdout);
        Assert.NotEqual(firstPid, state.Stdout[5..]);
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Rm_of_a_running_container_needs_force()
    {
        string name = Unique("rm");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        var refused = await Daemon.DockerAsync("rm", name);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("You cannot remove a running container", refused.Stderr);
        Assert.Equal(0, (await Daemon.DockerAsync("rm", "-f", name)).ExitCode);
        var gone = await Daemon.DockerAsync("container", "inspect", name);
        Assert.Contains("No such", gone.Stderr);
    }

    [Fact]
    public async Task Inspect_shows_the_fields_templates_read()
    {
        string name = Unique("inspect");
        await Daemon.DockerAsync("run", "-d", "--name", name, "-l", "k=v", "-e", "A=1", "busybox", "sleep", "300");
        var json = await Daemon.DockerAsync("inspect", name);
        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement[0];
        Assert.Equal("/" + name, root.GetProperty("Name").GetString());
        Assert.Equal("running", root.GetProperty("State").GetProperty("Status").GetString());
        Assert.True(root.GetProperty("State").GetProperty("Pid").GetInt32() > 0);
        Assert.Equal("sleep", root.GetProperty("Path").GetString());
        Assert.Equal("v", root.GetProperty("Config").GetProperty("Labels").GetProperty("k").GetString());
        Assert.Contains("A=1", root.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        var label = await Daemon.DockerAsync("inspect", "-f", "{{index .Config.Labels \"k\"}} {{.HostConfig.RestartPolicy.Name}}", name);
        Assert.Equal("v no\n", label.Stdout);
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Rename_and_name_conflict()
    {
        string first = Unique("first"), second = Unique("second");
        await Daemon.DockerAsync("create", "--name", first, "busybox", "true");
        var conflict = await Daemon.DockerAsync("create", "--name", first, "busybox", "true");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("is already in use", conflict.Stderr);
        Assert.Equal(0, (await Daemon.DockerAsync("rename", first, second)).ExitCode);
        Assert.Equal("/" + second + "\n", (await Daemon.DockerAsync("inspect", "-f", "{{.Name}}", second)).Stdout);
        await Daemon.DockerAsync("rm", second);
    }

    [Fact]
    public async Task Kill_with_a_signal_and_an_unknown_signal()
    {
        string name = Unique("sig");
        await Daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'exit 9' USR1; while true; do sleep 0.1; done");
        await Task.Delay(300);
        var bad = await Daemon.DockerAsync("kill", "-s", "NOPE", name);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Invalid signal", bad.Stderr);
        Assert.Equal(0, (await Daemon.DockerAsync("kill", "-s", "USR1", name)).ExitCode);
        Assert.Equal("9\n", (await Daemon.DockerAsync("wait", name)).Stdout);
        var notRunning = await Daemon.DockerAsync("kill", name);
        Assert.Contains("is not running", notRunning.Stderr);
    }
}
