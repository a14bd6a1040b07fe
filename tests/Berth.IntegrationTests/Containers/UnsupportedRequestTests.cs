using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// Requests for what berthd (like a dockerd without the hardware or filesystem for it) cannot provide are refused where
/// and as dockerd refuses them, instead of being ignored.
/// </summary>
public sealed class UnsupportedRequestTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Gpus_create_the_container_and_fail_its_start_for_want_of_a_device_driver()
    {
        string name = "gpu-" + Guid.NewGuid().ToString("N")[..8];
        var run = await Daemon.DockerAsync("run", "--name", name, "--gpus", "all", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("could not select device driver \"\" with capabilities: [[gpu]]", run.Stderr);
        Assert.Equal("created 128", (await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name)).EnsureSuccess().Stdout.Trim());
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Storage_options_and_a_missing_volumes_from_container_are_refused_at_create()
    {
        var storage = await Daemon.DockerAsync("create", "--storage-opt", "size=1G", "busybox");
        Assert.Contains("--storage-opt is supported only for overlay over xfs with 'pquota' mount option", storage.Stderr);
        // A 400, not a 404: the docker CLI would take a 404 for a missing image and try to pull busybox.
        var volumesFrom = await Daemon.DockerAsync("run", "--rm", "--volumes-from", "nosuchcontainer", "busybox", "true");
        Assert.Contains("No such container: nosuchcontainer", volumesFrom.Stderr);
        Assert.DoesNotContain("Unable to find image", volumesFrom.Stderr);
    }
}
