using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>docker-compose 1.29 (Debian's) makes a project's named volume, keeps its data across runs, and removes it with down -v.</summary>
public sealed class ComposeVolumeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string ComposeFile = """
        version: "3"
        services:
          app:
            image: busybox
            command: sh -c "cat /data/count 2>/dev/null; echo run >> /data/count"
            volumes: ["appdata:/data", "/cache"]
        volumes:
          appdata:
            labels: {purpose: test}
        """;

    [Fact]
    public async Task A_project_volume_keeps_data_between_runs_and_goes_with_down_v()
    {
        var daemon = fixture.Daemon;
        string project = Path.Combine(daemon.Root, "composevol-" + Guid.NewGuid().ToString("N")[..8]);
        string name = Path.GetFileName(project);
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "docker-compose.yml"), ComposeFile);
        string[] compose = ["-f", Path.Combine(project, "docker-compose.yml"), "--project-directory", project, "-p", name];
        Task<CommandResult> Compose(params string[] args) => Commands.RunAsync("/usr/bin/docker-compose", [.. compose, .. args], daemon.Env, timeout: TimeSpan.FromMinutes(2));

        var first = await Compose("run", "--rm", "app");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = await Compose("run", "--rm", "app");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("run", second.Stdout);
        var labels = (await daemon.DockerAsync("volume", "inspect", "-f", "{{index .Labels \"purpose\"}} {{index .Labels \"com.docker.compose.project\"}}", name + "_appdata")).EnsureSuccess();
        Assert.Equal($"test {name}\n", labels.Stdout);

        (await Compose("down", "-v")).EnsureSuccess();
        Assert.NotEqual(0, (await daemon.DockerAsync("volume", "inspect", name + "_appdata")).ExitCode);
    }
}
