using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>docker-compose 1.29 (Debian's) brings a project up on berthd and down again, leaving nothing behind.</summary>
public sealed class ComposeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string ComposeCli = "/usr/bin/docker-compose";

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Two_services_reach_each_other_by_name_and_down_removes_everything()
    {
        Assert.True(File.Exists(ComposeCli), "docker-compose is not installed (test.sh installs it)");
        string project = "berthcompose" + Guid.NewGuid().ToString("N")[..6];
        string file = Path.Combine(AppContext.BaseDirectory, "Compose", "two-services.yml");
        try
        {
            var up = await ComposeAsync(project, file, "up", "--abort-on-container-exit", "--exit-code-from", "client");
            Assert.True(up.ExitCode == 0, up.Stdout + up.Stderr + Daemon.Log());
            Assert.Contains("hello from web", up.Stdout);

            var ps = await Daemon.DockerAsync("ps", "-a", "--filter", $"label=com.docker.compose.project={project}", "--format", "{{.Names}}");
            Assert.Equal([$"{project}_client_1", $"{project}_web_1"], ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
            var networks = await Daemon.DockerAsync("network", "inspect", "-f", "{{.Name}} {{index .Labels \"com.docker.compose.network\"}}", project + "_default");
            Assert.Equal($"{project}_default default\n", networks.Stdout);
        }
        finally
        {
            var down = await ComposeAsync(project, file, "down");
            Assert.Equal(0, down.ExitCode);
        }
        var left = await Daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={project}");
        Assert.Equal("", left.Stdout);
        var network = await Daemon.DockerAsync("network", "ls", "-q", "--filter", $"name={project}");
        Assert.Equal("", network.Stdout);
    }

    private Task<CommandResult> ComposeAsync(string project, string file, params string[] args) =>
        Commands.RunAsync(ComposeCli, ["-p", project, "-f", file, .. args], Daemon.Env, timeout: TimeSpan.FromSeconds(120));
}
