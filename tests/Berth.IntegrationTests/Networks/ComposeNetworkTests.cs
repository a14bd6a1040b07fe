using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>docker-compose 1.29 (Debian's) brings up a two-service project whose services reach each other by name.</summary>
public sealed class ComposeNetworkTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string ComposeFile = """
        version: "3"
        services:
          web:
            image: busybox
            stop_grace_period: 1s
            command: sh -c "mkdir -p /www && echo compose-web > /www/index.html && exec httpd -f -p 80 -h /www"
          client:
            image: busybox
            command: sh -c "sleep 1; timeout 5 wget -q -O- http://web/; exit $$?"
            depends_on: [web]
        """;

    [Fact]
    public async Task Two_services_reach_each_other_by_name()
    {
        var daemon = fixture.Daemon;
        string project = Path.Combine(daemon.Root, "compose-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "docker-compose.yml"), ComposeFile);
        string[] compose = ["-f", Path.Combine(project, "docker-compose.yml"), "--project-directory", project, "-p", Path.GetFileName(project)];
        try
        {
            var up = await Commands.RunAsync("/usr/bin/docker-compose", [.. compose, "up", "--abort-on-container-exit", "--exit-code-from", "client"],
                daemon.Env, timeout: TimeSpan.FromMinutes(2));
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("compose-web", up.Stdout);

            string name = Path.GetFileName(project);
            var ps = await daemon.DockerAsync("ps", "-a", "--filter", $"label=com.docker.compose.project={name}", "--format", "{{.Names}}");
            Assert.Equal([$"{name}_client_1", $"{name}_web_1"], ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
            var network = await daemon.DockerAsync("network", "inspect", "-f", "{{index .Labels \"com.docker.compose.network\"}}", name + "_default");
            Assert.Equal("default\n", network.Stdout);
        }
        finally
        {
            (await Commands.RunAsync("/usr/bin/docker-compose", [.. compose, "down"], daemon.Env, timeout: TimeSpan.FromMinutes(1))).EnsureSuccess();
        }
        var networks = (await daemon.DockerAsync("network", "ls", "--format", "{{.Name}}")).EnsureSuccess();
        Assert.DoesNotContain(Path.GetFileName(project), networks.Stdout);
        var left = await daemon.DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={Path.GetFileName(project)}");
        Assert.Equal("", left.Stdout);
    }
}
