using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Clients;

/// <summary>The reference dockerd pushes busybox to berth-registry and pulls it back.</summary>
public sealed class DockerClientTests : IAsyncLifetime
{
    private BerthRegistryProcess _registry = null!;

    public async Task InitializeAsync()
    {
        await ReferenceDocker.EnsureStartedAsync();
        _registry = await BerthRegistryProcess.StartAsync();
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Reference_dockerd_pushes_and_pulls()
    {
        string image = $"{_registry.HostPort}/docker-test/busybox:pushed";
        (await ReferenceDocker.Docker("tag", "busybox:latest", image)).EnsureSuccess("docker tag");
        try
        {
            var push = (await ReferenceDocker.Docker("push", image)).EnsureSuccess("docker push");
            Assert.Contains("digest: sha256:", push.Stdout);
            (await ReferenceDocker.Docker("rmi", image)).EnsureSuccess("docker rmi");
            var pull = (await ReferenceDocker.Docker("pull", image)).EnsureSuccess("docker pull");
            Assert.Contains("Downloaded newer image", pull.Stdout);
            var run = (await ReferenceDocker.Docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", image)).EnsureSuccess("docker image inspect");
            Assert.Equal("linux/amd64", run.Stdout.Trim());
        }
        finally
        {
            await ReferenceDocker.Docker("rmi", image);
        }
    }
}
