namespace Berth.IntegrationTests.Cli;

/// <summary>berth against a daemon, compared with the docker CLI against the same daemon: run, ps, logs, inspect, rm.</summary>
public sealed class CliContainerTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private CliTarget Cli => fixture.Target;

    [CliFact]
    public async Task Run_prints_what_docker_prints_and_exits_alike()
    {
        string[] args = ["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"];
        var docker = await Cli.DockerAsync(args);
        var berth = await Cli.BerthAsync(args);
        Assert.Equal(3, docker.ExitCode);
        Assert.Equal(docker.ExitCode, berth.ExitCode);
        Assert.Equal("out\n", berth.Stdout);
        Assert.Equal("err\n", berth.Stderr);
    }

    [CliFact]
    public async Task Run_copies_stdin_with_i_and_half_closes_at_eof()
    {
        var berth = await Cli.BerthWithInputAsync("one\ntwo\nthree\n", "run", "--rm", "-i", "busybox", "wc", "-l");
        Assert.Equal(0, berth.ExitCode);
        Assert.Equal("3", berth.Stdout.Trim());
    }

    [CliFact]
    public async Task Run_with_a_missing_command_exits_127_like_docker()
    {
        var name = CliTarget.UniqueName("nocmd");
        try
        {
            var berth = await Cli.BerthAsync("run", "--name", name, "busybox", "no-such-command");
            Assert.Equal(127, berth.ExitCode);
            Assert.StartsWith("berth: Error response from daemon: ", berth.Stderr);
            Assert.EndsWith("\n\nRun 'berth run --help' for more information\n", berth.Stderr);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", name);
        }
    }

    [CliFact]
    public async Task Detached_container_shows_in_ps_logs_and_inspect_as_with_docker()
    {
        var name = CliTarget.UniqueName("detached");
        try
        {
            var run = await Cli.BerthAsync("run", "-d", "--name", name, "-l", "purpose=cli-test", "busybox",
                "sh", "-c", "echo first; echo second >&2; echo third; sleep 60");
            Assert.Equal(0, run.ExitCode);
            var id = run.Stdout.Trim();
            Assert.Matches("^[0-9a-f]{64}$", id);

            await WaitForLogLinesAsync(name, 3);
            var logs = await Cli.BerthAsync("logs", name);
            var dockerLogs = await Cli.DockerAsync("logs", name);
            Assert.Equal(dockerLogs.Stdout, logs.Stdout);
            Assert.Equal(dockerLogs.Stderr, logs.Stderr);
            Assert.Equal("first\nthird\n", logs.Stdout);
            Assert.Equal("second\n", logs.Stderr);

            // The last entry is "third" or "second", depending on which stream the daemon logged last.
            var tail = await Cli.BerthAsync("logs", "--tail", "1", "-t", name);
            var dockerTail = await Cli.DockerAsync("logs", "--tail", "1", "-t", name);
            Assert.Equal(dockerTail.Stdout, tail.Stdout);
            Assert.Equal(dockerTail.Stderr, tail.Stderr);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (third|second)\n$", tail.Stdout + tail.Stderr);

            string[] ps = ["ps", "--filter", $"name={name}"];
            Assert.Equal(CliTarget.Cells((await Cli.DockerAsync(ps)).Stdout), CliTarget.Cells((await Cli.BerthAsync(ps)).Stdout));
            string[] psFormat = ["ps", "-a", "--no-trunc", "--filter", "label=purpose=cli-test", "--filter", $"name={name}",
                "--format", "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Names}}\t{{.Labels}}\t{{.State}}"];
            var dockerPs = await Cli.DockerAsync(psFormat);
            Assert.Equal(dockerPs.Stdout, (await Cli.BerthAsync(psFormat)).Stdout);
            Assert.Contains(id, dockerPs.Stdout);
            Assert.Equal(id[..12] + "\n", (await Cli.BerthAsync("ps", "-q", "--filter", $"name={name}")).Stdout);

            var inspect = await Cli.BerthAsync("inspect", name);
            Assert.Equal((await Cli.DockerAsync("inspect", name)).Stdout, inspect.Stdout);
            string[] inspectFormat = ["inspect", "-f", "{{.Name}} {{.State.Status}} {{index .Config.Labels \"purpose\"}} {{json .Config.Cmd}}", name];
            Assert.Equal((await Cli.DockerAsync(inspectFormat)).Stdout, (await Cli.BerthAsync(inspectFormat)).Stdout);

            var rmRunning = await Cli.BerthAsync("rm", name);
            var dockerRmRunning = await Cli.DockerAsync("rm", name);
            Assert.Equal(1, rmRunning.ExitCode);
            Assert.Equal(dockerRmRunning.Stderr, rmRunning.Stderr);

            var stop = await Cli.BerthAsync("stop", "-t", "1", name);
            Assert.Equal(name + "\n", stop.Stdout);
            var wait = await Cli.BerthAsync("wait", name);
            Assert.Equal("137\n", wait.Stdout);
            var rm = await Cli.BerthAsync("rm", name);
            Assert.Equal(name + "\n", rm.Stdout);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", name);
        }
    }

    [CliFact]
    public async Task Rename_kill_restart_and_start_work_by_name()
    {
        var name = CliTarget.UniqueName("lifecycle");
        var renamed = name + "-renamed";
        try
        {
            Assert.Equal(0, (await Cli.BerthAsync("create", "--name", name, "busybox", "sleep", "60")).ExitCode);
            Assert.Equal(0, (await Cli.BerthAsync("rename", name, renamed)).ExitCode);
            Assert.Equal(renamed + "\n", (await Cli.BerthAsync("start", renamed)).Stdout);
            Assert.Equal(renamed + "\n", (await Cli.BerthAsync("restart", "-t", "1", renamed)).Stdout);
            Assert.Equal("running\n", (await Cli.BerthAsync("inspect", "-f", "{{.State.Status}}", renamed)).Stdout);
            Assert.Equal(renamed + "\n", (await Cli.BerthAsync("kill", "-s", "KILL", renamed)).Stdout);
            Assert.Equal("137\n", (await Cli.BerthAsync("wait", renamed)).Stdout);
            Assert.Equal(0, (await Cli.BerthAsync("create", "--name", name, "busybox", "sh", "-c", "echo attached; exit 4")).ExitCode);
            var attached = await Cli.BerthAsync("start", "-a", name);
            Assert.Equal(4, attached.ExitCode);
            Assert.Equal("attached\n", attached.Stdout);
        }
        finally
        {
            await Cli.DockerAsync("rm", "-f", name, renamed);
        }
    }

    [CliFact]
    public async Task Errors_read_as_dockers()
    {
        foreach (var args in new[]
                 {
                     new[] { "rm", "berth-cli-no-such-container" },
                     ["stop", "berth-cli-no-such-container"],
                     ["logs", "berth-cli-no-such-container"],
                     ["inspect", "berth-cli-no-such-container"],
                     ["ps", "--no-such-flag"],
                     ["ps", "-n", "x"],
                     ["rm"],
                     ["logs"],
                     ["rename", "a"],
                     ["run", "-m", "foo", "busybox"],
                     ["run", "-v", ":/x", "busybox"],
                     ["images", "-f", "foo"],
                     ["start", "berth-cli-no-such-container"],
                 })
        {
            var docker = await Cli.DockerAsync(args);
            var berth = await Cli.BerthAsync(args);
            Assert.True(docker.ExitCode == berth.ExitCode, $"{string.Join(' ', args)}: docker {docker}\nberth {berth}");
            Assert.Equal(CliTarget.AsBerth(docker.Stderr), berth.Stderr);
            Assert.Equal(docker.Stdout, berth.Stdout);
        }
    }

    private async Task WaitForLogLinesAsync(string name, int lines)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var logs = await Cli.DockerAsync("logs", name);
            if ((logs.Stdout + logs.Stderr).Count(c => c == '\n') >= lines)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"container {name} did not log {lines} lines");
    }
}
