using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Exec;

/// <summary>docker exec against berthd: output, stdin, exit codes, -e/-u/-w, -d, TTY, Docker's refusals, inspect and events.</summary>
public sealed class ExecCliTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Output_and_exit_code_reach_the_cli()
    {
        string c = await RunningAsync();

        var echo = await Daemon.DockerAsync("exec", c, "sh", "-c", "echo out; echo err >&2");
        var exit = await Daemon.DockerAsync("exec", c, "sh", "-c", "exit 3");

        Assert.Equal(0, echo.ExitCode);
        Assert.Equal("out\n", echo.Stdout);
        Assert.Equal("err\n", echo.Stderr);
        Assert.Equal(3, exit.ExitCode);
    }

    [Fact]
    public async Task Stdin_flows_with_i()
    {
        string c = await RunningAsync();

        var result = await Daemon.DockerWithInputAsync("one\ntwo\nthree\n", "exec", "-i", c, "wc", "-l");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("3", result.Stdout.Trim());
    }

    [Fact]
    public async Task Env_user_and_workdir_apply()
    {
        string c = await RunningAsync("-e", "FROM_RUN=run");

        var result = await Daemon.DockerAsync("exec", "-e", "GREETING=hi", "-u", "nobody", "-w", "/tmp", c,
            "sh", "-c", "echo $GREETING $FROM_RUN $(pwd) $(id -u):$(id -g) $HOME");

        Assert.Equal("hi run /tmp 65534:65534 /home\n", result.Stdout);
    }

    [Fact]
    public async Task Tty_exec_has_a_terminal()
    {
        string c = await RunningAsync();

        var tty = await Daemon.DockerAsync("exec", "-t", c, "sh", "-c", "test -t 1 && echo tty; exit 4");
        var plain = await Daemon.DockerAsync("exec", c, "sh", "-c", "test -t 1 || echo notty");

        Assert.Equal(4, tty.ExitCode);
        Assert.Equal("tty\r\n", tty.Stdout);
        Assert.Equal("notty\n", plain.Stdout);
    }

    [Fact]
    public async Task Detached_exec_runs_in_the_background()
    {
        string c = await RunningAsync();

        var detached = await Daemon.DockerAsync("exec", "-d", c, "sh", "-c", "echo done > /tmp/marker");
        string marker = "";
        for (int i = 0; i < 50 && marker.Length == 0; i++)
        {
            marker = (await Daemon.DockerAsync("exec", c, "cat", "/tmp/marker")).Stdout;
            if (marker.Length == 0) await Task.Delay(100);
        }

        Assert.Equal(0, detached.ExitCode);
        Assert.Equal("done\n", marker);
    }

    [Fact]
    public async Task A_missing_command_exits_126_with_the_runtimes_message()
    {
        string c = await RunningAsync();

        var result = await Daemon.DockerAsync("exec", c, "no-such-command");

        Assert.Equal(126, result.ExitCode);
        Assert.Contains("OCI runtime exec failed", result.Stdout + result.Stderr);
        Assert.Contains("no-such-command", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Exec_into_a_stopped_container_is_refused_with_dockers_message()
    {
        string name = "exec-stopped-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("create", "--name", name, "busybox", "sleep", "100")).EnsureSuccess();
        string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();

        var result = await Daemon.DockerAsync("exec", name, "true");
        var response = await Daemon.Http.PostAsync($"/containers/{name}/exec", new StringContent("""{"Cmd":["true"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Container {id} is not running", result.Stderr);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Exec_inspect_shows_the_process_and_its_exit_code()
    {
        string c = await RunningAsync();
        string id = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", c)).Stdout.Trim();
        var created = await Daemon.Http.PostAsync($"/containers/{c}/exec",
            new StringContent("""{"Cmd":["sh","-c","sleep 1; exit 5"],"User":"nobody","AttachStdout":true}""", System.Text.Encoding.UTF8, "application/json"));
        string execId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["Id"]!;

        var before = JsonNode.Parse(await Daemon.Http.GetStringAsync($"/exec/{execId}/json"))!;
        var started = await Daemon.Http.PostAsync($"/exec/{execId}/start", new StringContent("""{"Detach":true}""", System.Text.Encoding.UTF8, "application/json"));
        var running = JsonNode.Parse(await Daemon.Http.GetStringAsync($"/exec/{execId}/json"))!;
        var execIds = JsonNode.Parse(await Daemon.Http.GetStringAsync($"/containers/{c}/json"))!["ExecIDs"];
        JsonNode after = running;
        for (int i = 0; i < 100 && (bool)after["Running"]!; i++)
        {
            await Task.Delay(50);
            after = JsonNode.Parse(await Daemon.Http.GetStringAsync($"/exec/{execId}/json"))!;
        }
        var again = await Daemon.Http.PostAsync($"/exec/{execId}/start", new StringContent("""{"Detach":true}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.False((bool)before["Running"]!);
        Assert.Null(before["ExitCode"]);
        Assert.Equal("sh", (string)before["ProcessConfig"]!["entrypoint"]!);
        Assert.Equal("nobody", (string)before["ProcessConfig"]!["user"]!);
        Assert.Equal(id, (string)before["ContainerID"]!);
        Assert.True(started.IsSuccessStatusCode);
        Assert.True((bool)running["Running"]!);
        Assert.True((int)running["Pid"]! > 0);
        Assert.Contains(execId, execIds!.AsArray().Select(n => (string)n!));
        Assert.Equal(5, (int)after["ExitCode"]!);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Daemon.Http.GetAsync("/exec/nope/json")).StatusCode);
    }

    [Fact]
    public async Task Exec_events_carry_the_exit_code()
    {
        string c = await RunningAsync();
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        await Daemon.DockerAsync("exec", c, "sh", "-c", "exit 2");
        var events = await Daemon.DockerAsync("events", "--since", since, "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--filter", "container=" + c, "--format", "{{.Action}}|{{index .Actor.Attributes \"exitCode\"}}");

        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("exec_create: sh -c exit 2|", lines);
        Assert.Contains("exec_start: sh -c exit 2|", lines);
        Assert.Contains("exec_die|2", lines);
    }

    private async Task<string> RunningAsync(params string[] options)
    {
        string name = "exec-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync(["run", "-d", "--name", name, .. options, "busybox", "sleep", "300"])).EnsureSuccess();
        return name;
    }
}
