using Berth.IntegrationTests.Archives;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>Docker Hub mirrors configured on berthd, and images going between Berth and the reference dockerd.</summary>
public sealed class DaemonMirrorAndInteropTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_mirror_that_lacks_the_image_falls_back_to_the_next_one()
    {
        await using var lacking = await BerthRegistry.StartAsync();
        await using var having = await BerthRegistry.StartAsync();
        // Docker Hub's "mirrored:1" is library/mirrored on a mirror.
        (await Daemon.DockerAsync("tag", "busybox", $"{having.Host}/library/mirrored:1")).EnsureSuccess();
        (await Daemon.DockerAsync("push", $"{having.Host}/library/mirrored:1")).EnsureSuccess();
        (await Daemon.DockerAsync("rmi", $"{having.Host}/library/mirrored:1")).EnsureSuccess();

        await using var mirrored = await BerthDaemon.StartAsync(false, [$"--registry-mirror=http://{lacking.Host}", $"--registry-mirror=http://{having.Host}"]);
        var pull = (await mirrored.DockerAsync("pull", "mirrored:1")).EnsureSuccess();
        Assert.Contains("Status: Downloaded newer image for mirrored:1", pull.Stdout);
        Assert.Equal("mirror", (await mirrored.DockerAsync("run", "--rm", "mirrored:1", "echo", "mirror")).EnsureSuccess().Stdout.Trim());

        // Only a mirror without the image: the pull falls back to Docker Hub itself, unreachable here.
        await using var onlyLacking = await BerthDaemon.StartAsync(false, [$"--registry-mirror=http://{lacking.Host}"]);
        var failed = await onlyLacking.DockerAsync("pull", "mirrored:1");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Empty((await onlyLacking.DockerAsync("images", "-q")).Stdout.Trim());
    }

    [Fact]
    public async Task The_reference_dockerd_pulls_what_Berth_pushed_and_the_reverse()
    {
        await ReferenceDocker.EnsureStartedAsync();
        await using var registry = await BerthRegistry.StartAsync();
        string fromBerth = $"{registry.Host}/interop/from-berth:1", fromReference = $"{registry.Host}/interop/from-reference:1";

        (await Daemon.DockerAsync("tag", "busybox", fromBerth)).EnsureSuccess();
        (await Daemon.DockerAsync("push", fromBerth)).EnsureSuccess();
        string berthId = (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", fromBerth)).EnsureSuccess().Stdout.Trim();
        try
        {
            await ReferenceDocker.CheckAsync("pull", fromBerth);
            Assert.Equal(berthId, (await ReferenceDocker.CheckAsync("image", "inspect", "-f", "{{.Id}}", fromBerth)).Trim());
            Assert.Equal("berth-made", (await ReferenceDocker.CheckAsync("run", "--rm", fromBerth, "echo", "berth-made")).Trim());

            string referenceImage = (await ReferenceDocker.CheckAsync("image", "inspect", "-f", "{{.Id}}", fromBerth)).Trim();
            await ReferenceDocker.CheckAsync("tag", referenceImage, fromReference);
            string pushed = await ReferenceDocker.CheckAsync("push", fromReference);
            string digest = pushed.Split('\n').Single(l => l.StartsWith("1: digest: ", StringComparison.Ordinal)).Split(' ')[2];

            await using var fresh = await BerthDaemon.StartAsync(withBusybox: false);
            var pull = (await fresh.DockerAsync("pull", fromReference)).EnsureSuccess();
            Assert.Contains("Digest: " + digest, pull.Stdout);
            Assert.Equal("reference-made", (await fresh.DockerAsync("run", "--rm", fromReference, "echo", "reference-made")).EnsureSuccess().Stdout.Trim());
        }
        finally
        {
            await ReferenceDocker.RunAsync("rmi", fromBerth, fromReference);
            await Daemon.DockerAsync("rmi", fromBerth);
        }
    }
}
