using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>docker top against berthd.</summary>
public sealed class TopTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Top_lists_the_containers_processes_with_ps_options()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "sleep 601 & sleep 602")).EnsureSuccess().Stdout.Trim();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var top = await Daemon.DockerAsync("top", id);
            if (top.Stdout.Contains("sleep 601") && top.Stdout.Contains("sleep 602"))
            {
                Assert.StartsWith("UID", top.Stdout);
                Assert.Equal(3, top.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                var aux = await Daemon.DockerAsync("top", id, "aux");
                Assert.StartsWith("USER", aux.EnsureSuccess().Stdout);
                var noPid = await Daemon.DockerAsync("top", id, "-o", "comm");
                Assert.Contains("Couldn't find PID field in ps output", noPid.Stderr);
                await Daemon.DockerAsync("rm", "-f", id);
                var stopped = await Daemon.DockerAsync("create", "busybox");
                var notRunning = await Daemon.DockerAsync("top", stopped.Stdout.Trim());
                Assert.Contains("is not running", notRunning.Stderr);
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("docker top never showed both sleeps");
    }
}
