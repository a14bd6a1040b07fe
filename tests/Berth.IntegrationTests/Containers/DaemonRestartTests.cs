using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>berthd killed with SIGKILL while containers run: they keep running, and the next daemon takes them back.</summary>
public sealed class DaemonRestartTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Containers_survive_a_killed_daemon()
    {
        string ticker = (await _daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.2; done")).Stdout.Trim();
        string quitter = (await _daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "sleep 1; exit 7")).Stdout.Trim();
        await Task.Delay(500);
        await _daemon.KillAsync();
        await Task.Delay(1500); // the quitter exits while no daemon runs; the ticker's log keeps growing
        await _daemon.LaunchAsync();

        var ps = await _daemon.DockerAsync("ps", "-q", "--no-trunc");
        Assert.Contains(ticker, ps.Stdout);
        Assert.DoesNotContain(quitter, ps.Stdout);
        Assert.Equal("7\n", (await _daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", quitter)).Stdout);
        var logs = await _daemon.DockerAsync("logs", ticker);
        Assert.True(logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 8, logs.Stdout);

        var wait = _daemon.DockerAsync("wait", ticker);
        Assert.Equal(0, (await _daemon.DockerAsync("stop", "-t", "1", ticker)).ExitCode);
        Assert.Equal("137\n", (await wait).Stdout);
        Assert.Equal(0, (await _daemon.DockerAsync("rm", ticker, quitter)).ExitCode);
    }
}
