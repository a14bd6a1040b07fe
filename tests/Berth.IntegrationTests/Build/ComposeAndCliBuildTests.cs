using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build;

/// <summary>The other clients that build: docker-compose 1.29's build: sections, and berth build.</summary>
public sealed class ComposeAndCliBuildTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Compose_builds_a_service_with_args_and_runs_it()
    {
        string name = "composebuild-" + Guid.NewGuid().ToString("N")[..8];
        using var context = new BuildContextDirectory("FROM busybox\nARG FLAVOUR\nRUN echo $FLAVOUR > /flavour\nCMD [\"cat\", \"/flavour\"]\n");
        context.Write("docker-compose.yml", $"""
            version: "3"
            services:
              app:
                build:
                  context: .
                  args:
                    FLAVOUR: lemon
                image: {name}:1
            """);
        string[] compose = ["-f", Path.Combine(context.Path, "docker-compose.yml"), "--project-directory", context.Path, "-p", name];
        Task<CommandResult> Compose(params string[] args) =>
            Commands.RunAsync("/usr/bin/docker-compose", [.. compose, .. args], Daemon.Env, timeout: TimeSpan.FromMinutes(2));

        var build = await Compose("build");
        var run = await Compose("run", "--rm", "app");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"Successfully tagged {name}:1", build.Stdout + build.Stderr);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("lemon", run.Stdout);
        (await Compose("down")).EnsureSuccess();
    }

    [Fact]
    public async Task Berth_build_sends_the_context_without_ignored_files_and_quiet_prints_the_id()
    {
        string tag = "berthbuild-" + Guid.NewGuid().ToString("N")[..8] + ":1";
        using var context = new BuildContextDirectory("FROM busybox\nCOPY . /ctx/\nRUN ls -A /ctx | sort | tr '\\n' ' '\n")
            .Write(".dockerignore", "ignored/\n")
            .Write("ignored/big.bin", "not sent")
            .Write("kept.txt", "sent");

        var build = await Daemon.BerthAsync("build", "-t", tag, context.Path);
        var quiet = await Daemon.BerthAsync("build", "-q", "--build-arg", "UNUSED=1", context.Path);

        Assert.Contains(".dockerignore Dockerfile kept.txt", build.EnsureSuccess().Stdout);
        Assert.Contains($"Successfully tagged {tag}", build.Stdout);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", quiet.EnsureSuccess().Stdout);
        var run = await Daemon.BerthAsync("run", "--rm", tag, "cat", "/ctx/kept.txt");
        Assert.Equal("sent", run.EnsureSuccess().Stdout);
    }
}
