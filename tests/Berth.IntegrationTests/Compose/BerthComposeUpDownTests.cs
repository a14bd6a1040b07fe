using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>
/// <c>berth compose</c> brings projects up and down on a real berthd, checked through the docker CLI: names and
/// labels as Docker Compose v2 gives them, services reaching each other by name, recreation only on change, scaling,
/// and volumes that outlive <c>down</c> unless <c>-v</c>.
/// </summary>
public sealed class BerthComposeUpDownTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private const string WebAndClient = """
        services:
          web:
            image: busybox
            stop_grace_period: 1s
            command: sh -c "mkdir -p /www && echo compose-web > /www/index.html && exec httpd -f -p 80 -h /www"
          client:
            image: busybox
            stop_grace_period: 1s
            command: ["sleep", "300"]
            depends_on: [web]
        """;

    [Fact]
    public async Task Up_detached_creates_the_network_and_containers_that_reach_each_other_by_name_and_down_removes_them()
    {
        await using var project = new ComposeProjectDirectory(Daemon, WebAndClient);

        var up = await project.ComposeAsync("up", "-d");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($" Network {project.Name}_default  Created", up.Stderr);
        Assert.Contains($" Container {project.Name}-web-1  Started", up.Stderr);
        Assert.True(up.Stderr.IndexOf($"{project.Name}-web-1  Started", StringComparison.Ordinal)
            < up.Stderr.IndexOf($"{project.Name}-client-1  Started", StringComparison.Ordinal), "web starts before the client that depends on it");
        Assert.Equal([$"{project.Name}-client-1", $"{project.Name}-web-1"], await project.ContainerNamesAsync());
        var labels = (await Daemon.DockerAsync("inspect", "-f",
            "{{index .Config.Labels \"com.docker.compose.service\"}} {{index .Config.Labels \"com.docker.compose.container-number\"}} {{index .Config.Labels \"com.docker.compose.oneoff\"}}",
            $"{project.Name}-web-1")).EnsureSuccess();
        Assert.Equal("web 1 False\n", labels.Stdout);

        var fetched = await project.ComposeAsync("exec", "-T", "client", "wget", "-q", "-O-", "http://web/");
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.Equal("compose-web\n", fetched.Stdout);

        var down = await project.ComposeAsync("down", "-t", "1");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains($" Container {project.Name}-client-1  Removed", down.Stderr);
        Assert.Contains($" Network {project.Name}_default  Removed", down.Stderr);
        Assert.Empty(await project.ContainerNamesAsync());
        var networks = (await Daemon.DockerAsync("network", "ls", "--format", "{{.Name}}")).EnsureSuccess();
        Assert.DoesNotContain(project.Name, networks.Stdout);
    }

    [Fact]
    public async Task A_second_up_leaves_unchanged_containers_running_and_recreates_a_changed_one()
    {
        await using var project = new ComposeProjectDirectory(Daemon, WebAndClient);
        (await project.ComposeAsync("up", "-d")).EnsureSuccess();
        var webBefore = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", $"{project.Name}-web-1")).EnsureSuccess().Stdout;
        var clientBefore = (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", $"{project.Name}-client-1")).EnsureSuccess().Stdout;

        project.Write("compose.yaml", WebAndClient.Replace("""command: ["sleep", "300"]""", """command: ["sleep", "301"]""", StringComparison.Ordinal));
        var again = await project.ComposeAsync("up", "-d");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($" Container {project.Name}-web-1  Running", again.Stderr);
        Assert.Contains($" Container {project.Name}-client-1  Recreated", again.Stderr);
        Assert.Equal(webBefore, (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", $"{project.Name}-web-1")).EnsureSuccess().Stdout);
        Assert.NotEqual(clientBefore, (await Daemon.DockerAsync("inspect", "-f", "{{.Id}}", $"{project.Name}-client-1")).EnsureSuccess().Stdout);
        var command = (await Daemon.DockerAsync("inspect", "-f", "{{json .Config.Cmd}}", $"{project.Name}-client-1")).EnsureSuccess();
        Assert.Equal("[\"sleep\",\"301\"]\n", command.Stdout);
    }

    [Fact]
    public async Task Scale_adds_numbered_containers_and_removes_the_highest_first()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              worker:
                image: busybox
                command: sleep 300
                stop_grace_period: 1s
            """);

        (await project.ComposeAsync("up", "-d", "--scale", "worker=3")).EnsureSuccess();
        Assert.Equal([$"{project.Name}-worker-1", $"{project.Name}-worker-2", $"{project.Name}-worker-3"], await project.ContainerNamesAsync());

        var down = await project.ComposeAsync("up", "-d", "--scale", "worker=1");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal([$"{project.Name}-worker-1"], await project.ContainerNamesAsync());
    }

    [Fact]
    public async Task A_named_volume_keeps_its_data_across_down_and_down_v_removes_it()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              app:
                image: busybox
                volumes: ["data:/data"]
                command: sh -c "echo $$(( $$(cat /data/n 2>/dev/null || echo 0) + 1 )) > /data/n; cat /data/n"
            volumes:
              data:
            """);

        (await project.ComposeAsync("up")).EnsureSuccess();
        (await project.ComposeAsync("down")).EnsureSuccess();
        var second = await project.ComposeAsync("up");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("| 2", second.Stdout);
        var volume = (await Daemon.DockerAsync("volume", "inspect", "-f", "{{index .Labels \"com.docker.compose.volume\"}}", $"{project.Name}_data")).EnsureSuccess();
        Assert.Equal("data\n", volume.Stdout);

        var downV = await project.ComposeAsync("down", "-v");
        Assert.True(downV.ExitCode == 0, downV.ToString());
        var gone = await Daemon.DockerAsync("volume", "inspect", $"{project.Name}_data");
        Assert.NotEqual(0, gone.ExitCode);
    }

    [Fact]
    public async Task Up_attached_prints_prefixed_logs_and_returns_when_the_containers_exit()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              one:
                image: busybox
                command: echo hello from one
              two:
                image: busybox
                command: sh -c "echo hello from two; exit 3"
            """);

        var up = await project.ComposeAsync("up");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("one-1  | hello from one", up.Stdout);
        Assert.Contains("two-1  | hello from two", up.Stdout);
        Assert.Contains("two-1 exited with code 3", up.Stdout);

        var abort = await project.ComposeAsync("up", "--abort-on-container-exit", "--exit-code-from", "two");
        Assert.Equal(3, abort.ExitCode);
    }

    [Fact]
    public async Task Depends_on_conditions_wait_for_health_and_for_successful_completion()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              db:
                image: busybox
                command: sh -c "sleep 1; touch /ready; exec sleep 300"
                stop_grace_period: 1s
                healthcheck:
                  test: ["CMD", "test", "-f", "/ready"]
                  interval: 200ms
                  retries: 20
              migrate:
                image: busybox
                command: sh -c "echo migrated"
              app:
                image: busybox
                command: sleep 300
                stop_grace_period: 1s
                depends_on:
                  db:
                    condition: service_healthy
                  migrate:
                    condition: service_completed_successfully
            """);

        var up = await project.ComposeAsync("up", "-d");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($" Container {project.Name}-db-1  Healthy", up.Stderr);
        Assert.True(up.Stderr.IndexOf($"{project.Name}-db-1  Healthy", StringComparison.Ordinal)
            < up.Stderr.IndexOf($"{project.Name}-app-1  Started", StringComparison.Ordinal), up.Stderr);
        var health = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Health.Status}}", $"{project.Name}-db-1")).EnsureSuccess();
        Assert.Equal("healthy\n", health.Stdout);
        var migrate = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", $"{project.Name}-migrate-1")).EnsureSuccess();
        Assert.Equal("exited 0\n", migrate.Stdout);
    }

    [Fact]
    public async Task A_signal_to_an_attached_up_stops_the_containers_gracefully_and_prints_their_last_lines()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              ticker:
                image: busybox
                command: sh -c 'trap "echo got TERM; exit 0" TERM; while true; do echo tick; sleep 0.2; done'
            """);
        var info = new System.Diagnostics.ProcessStartInfo(BerthBinaries.Cli, ["compose", "up"])
        {
            WorkingDirectory = project.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in Daemon.Env)
            info.Environment[key] = value;
        using var up = System.Diagnostics.Process.Start(info)!;
        var stdout = new System.Text.StringBuilder();
        var ticking = new TaskCompletionSource();
        up.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
                stdout.Append(e.Data).Append('\n');
            if (e.Data?.Contains("| tick", StringComparison.Ordinal) == true)
                ticking.TrySetResult();
        };
        up.BeginOutputReadLine();
        var stderr = up.StandardError.ReadToEndAsync();
        try
        {
            await ticking.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // SIGTERM takes the path Ctrl-C takes (SIGINT may be ignored in a background test run).
            Assert.Equal(0, (await Commands.RunAsync("kill", ["-TERM", up.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ExitCode);
            await up.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!up.HasExited)
                up.Kill(entireProcessTree: true);
        }

        Assert.Equal(130, up.ExitCode);
        Assert.Contains("Gracefully stopping...", await stderr);
        lock (stdout)
        {
            Assert.Contains("ticker-1  | got TERM", stdout.ToString());
            Assert.Contains("ticker-1 exited with code 0", stdout.ToString());
        }
        var state = (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", $"{project.Name}-ticker-1")).EnsureSuccess();
        Assert.Equal("exited\n", state.Stdout);
    }
}
