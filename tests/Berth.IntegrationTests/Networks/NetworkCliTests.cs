using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>berth network … and berth port print what docker prints against the same berthd.</summary>
public sealed class NetworkCliTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task SameAsDockerAsync(params string[] args)
    {
        var docker = await Daemon.DockerAsync(args);
        var berth = await Daemon.BerthAsync(args);
        string what = string.Join(' ', args);
        Assert.True(docker.ExitCode == berth.ExitCode, $"{what}: docker {docker}\nberth {berth}");
        Assert.Equal(docker.Stdout, berth.Stdout);
        Assert.Equal(docker.Stderr.Replace("docker", "berth", StringComparison.Ordinal), berth.Stderr);
    }

    [Fact]
    public async Task Network_commands_print_as_docker()
    {
        string name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var created = (await Daemon.BerthAsync("network", "create", "--label", "by=berth", name)).EnsureSuccess();
        Assert.Matches("^[0-9a-f]{64}\n$", created.Stdout);
        try
        {
            await SameAsDockerAsync("network", "ls");
            await SameAsDockerAsync("network", "ls", "--no-trunc");
            await SameAsDockerAsync("network", "ls", "-q", "--filter", "type=custom");
            await SameAsDockerAsync("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Labels}} {{.Internal}}");
            await SameAsDockerAsync("network", "inspect", name);
            await SameAsDockerAsync("network", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Internal}}", name, "bridge");
            await SameAsDockerAsync("network", "inspect", "no-such-network");
            await SameAsDockerAsync("network", "rm", "no-such-network");
            await SameAsDockerAsync("network", "create", name);
            await SameAsDockerAsync("network", "connect", name, "no-such-container");
            await SameAsDockerAsync("network", "disconnect", name, "no-such-container");
            await SameAsDockerAsync("network", "rm", "host");
        }
        finally
        {
            (await Daemon.BerthAsync("network", "rm", name)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Prune_lists_what_it_removed_as_docker()
    {
        string first = "prune-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("network", "create", "--label", "prune=" + first, first)).EnsureSuccess();
        var docker = (await Daemon.DockerAsync("network", "prune", "-f", "--filter", "label=prune=" + first)).EnsureSuccess();
        (await Daemon.DockerAsync("network", "create", "--label", "prune=" + first, first)).EnsureSuccess();
        var berth = (await Daemon.BerthAsync("network", "prune", "-f", "--filter", "label=prune=" + first)).EnsureSuccess();
        Assert.Equal($"Deleted Networks:\n{first}\n\n", docker.Stdout);
        Assert.Equal(docker.Stdout, berth.Stdout);
    }

    [Fact]
    public async Task Port_prints_as_docker()
    {
        string name = "port-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "-d", "--name", name, "-p", "127.0.0.1::80", "-p", "127.0.0.1::53/udp", "--expose", "90",
            "busybox", "sleep", "60")).EnsureSuccess();
        try
        {
            await SameAsDockerAsync("port", name);
            await SameAsDockerAsync("port", name, "80");
            await SameAsDockerAsync("port", name, "53/udp");
            await SameAsDockerAsync("port", name, "90");
            await SameAsDockerAsync("ps", "--filter", $"name={name}", "--format", "{{.Ports}} {{.Networks}}");
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
        }
    }
}
