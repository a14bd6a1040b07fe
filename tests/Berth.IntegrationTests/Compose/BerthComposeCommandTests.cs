using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>
/// The other <c>berth compose</c> commands on a real berthd: config with interpolation, ps, logs, run, build,
/// stop/start/rm, ls, profiles, and the errors a user gets for a bad file or an unknown service.
/// </summary>
public sealed class BerthComposeCommandTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Config_interpolates_from_the_shell_and_the_env_file_and_prints_long_syntax()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              web:
                image: "busybox:${TAG:-latest}"
                ports: ["${PORT}:80"]
                environment:
                  - GREETING=${GREETING:?say hello}
            """);
        project.Write(".env", "PORT=8080\nGREETING=hi\n");

        var config = await project.ComposeWithEnvAsync(new Dictionary<string, string> { ["GREETING"] = "from-shell" }, "config");
        var missing = await project.ComposeWithEnvAsync(new Dictionary<string, string>(), "config", "--services");

        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Contains("image: busybox:latest", config.Stdout);
        Assert.Contains("published: \"8080\"", config.Stdout);
        Assert.Contains("target: 80", config.Stdout);
        Assert.Contains("GREETING: from-shell", config.Stdout);
        Assert.Contains($"name: {project.Name}", config.Stdout);
        Assert.Equal("web\n", missing.EnsureSuccess().Stdout);

        project.Write(".env", "PORT=8080\n");
        var required = await project.ComposeWithEnvAsync(new Dictionary<string, string>(), "config");
        Assert.Equal(1, required.ExitCode);
        Assert.Contains("required variable GREETING is missing a value: say hello", required.Stderr);
    }

    [Fact]
    public async Task Ps_logs_stop_start_and_rm_act_on_the_projects_containers()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              talker:
                image: busybox
                stop_grace_period: 1s
                command: sh -c "echo first line; echo second line; exec sleep 300"
            """);
        (await project.ComposeAsync("up", "-d")).EnsureSuccess();

        var ps = await project.ComposeAsync("ps");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        var lines = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Contains("SERVICE", lines[0]);
        Assert.StartsWith($"{project.Name}-talker-1", lines[1]);
        Assert.Contains("Up ", lines[1]);
        Assert.Equal("talker\n", (await project.ComposeAsync("ps", "--services")).EnsureSuccess().Stdout);

        string logs = "";
        for (var attempt = 0; attempt < 50 && !logs.Contains("second line", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            logs = (await project.ComposeAsync("logs", "--no-color")).EnsureSuccess().Stdout;
        }
        Assert.Contains("talker-1  | first line\n", logs);
        Assert.Contains("talker-1  | second line\n", logs);
        Assert.Equal("first line\nsecond line\n", (await project.ComposeAsync("logs", "--no-log-prefix", "talker")).EnsureSuccess().Stdout);

        (await project.ComposeAsync("stop")).EnsureSuccess();
        Assert.Equal("", (await project.ComposeAsync("ps", "-q")).EnsureSuccess().Stdout);
        Assert.Contains("Exited", (await project.ComposeAsync("ps", "-a")).EnsureSuccess().Stdout);
        (await project.ComposeAsync("start")).EnsureSuccess();
        Assert.Contains("Up ", (await project.ComposeAsync("ps")).EnsureSuccess().Stdout);

        var rm = await project.ComposeAsync("rm", "-f", "-s");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Empty(await project.ContainerNamesAsync());
    }

    [Fact]
    public async Task Run_starts_dependencies_runs_a_one_off_container_and_returns_its_exit_code()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              db:
                image: busybox
                stop_grace_period: 1s
                command: sh -c "mkdir -p /www && echo db-answer > /www/index.html && exec httpd -f -p 80 -h /www"
              tool:
                image: busybox
                environment: [MODE=default]
                depends_on: [db]
            """);

        var run = await project.ComposeAsync("run", "--rm", "-e", "MODE=override", "tool", "sh", "-c", "echo $MODE; wget -q -O- http://db/");
        var failed = await project.ComposeAsync("run", "--rm", "tool", "sh", "-c", "exit 7");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("override\ndb-answer\n", run.Stdout);
        Assert.Equal(7, failed.ExitCode);
        Assert.Equal([$"{project.Name}-db-1"], await project.ContainerNamesAsync());
    }

    [Fact]
    public async Task Build_makes_the_services_image_named_after_the_project_and_up_runs_it()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              app:
                build:
                  context: ./app
                  args:
                    FLAVOUR: lemon
                command: cat /flavour
            """);
        project.Write("app/Dockerfile", "FROM busybox\nARG FLAVOUR\nRUN echo $FLAVOUR > /flavour\n");

        var build = await project.ComposeAsync("build");
        Assert.True(build.ExitCode == 0, build.ToString());
        var image = (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", $"{project.Name}-app")).EnsureSuccess();
        Assert.StartsWith("sha256:", image.Stdout);

        var up = await project.ComposeAsync("up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("app-1  | lemon", up.Stdout);
        (await project.ComposeAsync("down", "--rmi", "local")).EnsureSuccess();
        Assert.NotEqual(0, (await Daemon.DockerAsync("image", "inspect", $"{project.Name}-app")).ExitCode);
    }

    [Fact]
    public async Task Profiles_leave_services_out_until_enabled_and_ls_lists_the_running_project()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              main:
                image: busybox
                command: sleep 300
                stop_grace_period: 1s
              debug:
                image: busybox
                command: sleep 300
                stop_grace_period: 1s
                profiles: [debug]
            """);

        (await project.ComposeAsync("up", "-d")).EnsureSuccess();
        Assert.Equal([$"{project.Name}-main-1"], await project.ContainerNamesAsync());
        (await project.ComposeAsync("--profile", "debug", "up", "-d")).EnsureSuccess();
        Assert.Equal([$"{project.Name}-debug-1", $"{project.Name}-main-1"], await project.ContainerNamesAsync());

        var ls = await project.ComposeAsync("ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains(project.Name, ls.Stdout);
        Assert.Contains("running(2)", ls.Stdout);
    }

    [Fact]
    public async Task Bad_files_and_unknown_services_get_compose_errors_and_create_nothing()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              web:
                image: busybox
                volumes: ["missing:/data"]
            """);

        var undefinedVolume = await project.ComposeAsync("up", "-d");
        Assert.Equal(1, undefinedVolume.ExitCode);
        Assert.Contains("service \"web\" refers to undefined volume missing", undefinedVolume.Stderr);

        project.Write("compose.yaml", "services:\n  web:\n    image: busybox\n    bogus: 1\n");
        var unknownKey = await project.ComposeAsync("up", "-d");
        Assert.Equal(1, unknownKey.ExitCode);
        Assert.Contains("Additional property bogus is not allowed", unknownKey.Stderr);

        project.Write("compose.yaml", "services:\n  web:\n    image: busybox\n   broken: [\n");
        var badYaml = await project.ComposeAsync("up", "-d");
        Assert.Equal(1, badYaml.ExitCode);
        Assert.Contains("yaml", badYaml.Stderr, StringComparison.OrdinalIgnoreCase);

        project.Write("compose.yaml", "services:\n  web:\n    image: busybox\n");
        var unknownService = await project.ComposeAsync("up", "-d", "nosuch");
        Assert.Equal(1, unknownService.ExitCode);
        Assert.Contains("no such service: nosuch", unknownService.Stderr);

        Assert.Empty(await project.ContainerNamesAsync());
        var networks = (await Daemon.DockerAsync("network", "ls", "--format", "{{.Name}}")).EnsureSuccess();
        Assert.DoesNotContain(project.Name, networks.Stdout);

        var none = await Commands.RunAsync(BerthBinaries.Cli, ["compose", "ps"], Daemon.Env, workingDirectory: "/");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no configuration file provided: not found", none.Stderr);
    }
}
