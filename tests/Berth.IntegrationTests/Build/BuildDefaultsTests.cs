using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build;

/// <summary>What Docker's classic builder puts in every image without being asked.</summary>
public sealed class BuildDefaultsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("FROM busybox\nRUN true\n")]
    [InlineData("FROM scratch\nLABEL kind=empty\n")]
    public async Task A_stage_whose_base_sets_no_path_gets_the_default_one(string dockerfile)
    {
        // The test busybox is imported, so its config has no Env at all.
        using var context = new BuildContextDirectory(dockerfile);
        string tag = $"path-{Guid.NewGuid().ToString("N")[..8]}:1";
        (await Daemon.DockerAsync("build", "-q", "-t", tag, context.Path)).EnsureSuccess();
        Assert.Equal("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]\n",
            (await Daemon.DockerAsync("image", "inspect", tag, "--format", "{{json .Config.Env}}")).Stdout);
        await Daemon.DockerAsync("rmi", tag);
    }
}
