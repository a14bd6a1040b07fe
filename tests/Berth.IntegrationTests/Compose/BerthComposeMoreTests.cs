using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>
/// berth compose with a registry (build, push, then pull and up on another daemon), several files merged, and the
/// commands that look at a running project: port, top, images, run with -p and -v.
/// </summary>
public sealed class BerthComposeMoreTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_built_image_is_pushed_and_another_daemon_pulls_and_runs_it()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string image = $"{registry.Host}/compose/app:1";
        string file = $$"""
            services:
              app:
                image: {{image}}
                build: ./app
                command: cat /built
            """;
        await using var builder = new ComposeProjectDirectory(Daemon, file);
        builder.Write("app/Dockerfile", "FROM busybox\nRUN echo built-here > /built\n");

        var build = await builder.ComposeAsync("build");
        var push = await builder.ComposeAsync("push");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($" Image {image}  Pushed", push.Stderr);

        await using var other = await BerthDaemon.StartAsync(withBusybox: false);
        await using var puller = new ComposeProjectDirectory(other, file.Replace("    build: ./app\n", "", StringComparison.Ordinal));
        var pull = await puller.ComposeAsync("pull");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains($" Image {image}  Pulled", pull.Stderr);
        var up = await puller.ComposeAsync("up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("app-1  | built-here", up.Stdout);
    }

    [Fact]
    public async Task The_override_file_and_several_f_files_merge_in_order()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              app:
                image: busybox
                environment: [A=base, B=base]
                ports: ["8081:80"]
            """);
        project.Write("compose.override.yaml", """
            services:
              app:
                environment:
                  B: override
                ports: ["8082:80"]
            """);
        project.Write("extra.yaml", """
            services:
              app:
                command: echo extra
            """);

        var discovered = await project.ComposeAsync("config", "--format", "json");
        var explicitFiles = await project.ComposeAsync("-f", "compose.yaml", "-f", "extra.yaml", "config");

        Assert.True(discovered.ExitCode == 0, discovered.ToString());
        Assert.Contains("\"A\": \"base\"", discovered.Stdout);
        Assert.Contains("\"B\": \"override\"", discovered.Stdout);
        Assert.Contains("\"published\": \"8081\"", discovered.Stdout);
        Assert.Contains("\"published\": \"8082\"", discovered.Stdout);
        Assert.True(explicitFiles.ExitCode == 0, explicitFiles.ToString());
        Assert.Contains("B: base", explicitFiles.Stdout);
        Assert.Contains("- extra", explicitFiles.Stdout);
    }

    [Fact]
    public async Task Port_top_and_images_describe_the_running_project_and_run_takes_ports_and_volumes()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              web:
                image: busybox
                stop_grace_period: 1s
                command: sh -c "mkdir -p /www && echo published > /www/index.html && exec httpd -f -p 80 -h /www"
                ports: ["127.0.0.1::80"]
            """);
        (await project.ComposeAsync("up", "-d")).EnsureSuccess();

        var port = await project.ComposeAsync("port", "web", "80");
        Assert.True(port.ExitCode == 0, port.ToString());
        Assert.Matches(@"^127\.0\.0\.1:\d+\n$", port.Stdout);
        using (var http = new HttpClient())
            Assert.Equal("published\n", await http.GetStringAsync($"http://{port.Stdout.Trim()}/"));

        var top = await project.ComposeAsync("top");
        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.StartsWith($"{project.Name}-web-1\n", top.Stdout);
        Assert.Contains("httpd -f -p 80", top.Stdout);

        var images = await project.ComposeAsync("images");
        Assert.True(images.ExitCode == 0, images.ToString());
        Assert.Matches($@"{project.Name}-web-1\s+busybox\s+latest\s+[0-9a-f]{{12}}", images.Stdout);

        project.Write("data/in.txt", "from the host\n");
        var run = await project.ComposeAsync("run", "--rm", "-T", "-v", "./data:/data", "web", "cat", "/data/in.txt");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("from the host\n", run.Stdout);
    }

    [Fact]
    public async Task The_docker_cli_runs_berth_compose_as_its_compose_plugin()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              hello:
                image: busybox
                command: echo hello through docker compose
            """);
        var plugins = Path.Combine(Daemon.Env["DOCKER_CONFIG"], "cli-plugins");
        Directory.CreateDirectory(plugins);
        var link = Path.Combine(plugins, "docker-compose");
        if (!File.Exists(link))
            File.CreateSymbolicLink(link, BerthBinaries.Cli);

        var help = await Commands.RunAsync(BerthBinaries.DockerCli, ["--help"], Daemon.Env);
        var up = await Commands.RunAsync(BerthBinaries.DockerCli, ["compose", "up"], Daemon.Env, workingDirectory: project.Path);

        Assert.Contains("compose*", help.EnsureSuccess().Stdout);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("hello-1  | hello through docker compose", up.Stdout);
        Assert.Equal([$"{project.Name}-hello-1"], await project.ContainerNamesAsync());
    }

    [Fact]
    public async Task Cp_copies_both_ways_scale_changes_the_count_and_wait_returns_the_exit_code()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            services:
              box:
                image: busybox
                command: sleep 300
                stop_grace_period: 1s
              job:
                image: busybox
                command: sh -c "sleep 1; exit 4"
            """);
        (await project.ComposeAsync("up", "-d", "box")).EnsureSuccess();
        project.Write("local.txt", "copied in\n");

        var copyIn = await project.ComposeAsync("cp", "local.txt", "box:/tmp/in.txt");
        var copyOut = await project.ComposeAsync("cp", "box:/tmp/in.txt", "back.txt");
        Assert.True(copyIn.ExitCode == 0, copyIn.ToString());
        Assert.True(copyOut.ExitCode == 0, copyOut.ToString());
        Assert.Equal("copied in\n", await File.ReadAllTextAsync(Path.Combine(project.Path, "back.txt")));

        var scale = await project.ComposeAsync("scale", "box=2");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        Assert.Equal([$"{project.Name}-box-1", $"{project.Name}-box-2"], await project.ContainerNamesAsync());

        (await project.ComposeAsync("up", "-d", "job")).EnsureSuccess();
        var wait = await project.ComposeAsync("wait", "job");
        Assert.Equal(4, wait.ExitCode);
        Assert.Equal("4\n", wait.Stdout);
    }
}
