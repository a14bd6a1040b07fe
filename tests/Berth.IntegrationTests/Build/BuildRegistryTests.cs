using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build;

/// <summary>docker build with a registry: a FROM image the daemon lacks is pulled, and a built image pushes and pulls back.</summary>
public sealed class BuildRegistryTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task A_missing_base_is_pulled_and_the_built_image_travels_through_the_registry()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string baseName = $"{registry.Host}/berth/base:1";
        string builtName = $"{registry.Host}/berth/built:1";
        (await fixture.Daemon.DockerAsync("tag", "busybox", baseName)).EnsureSuccess();
        (await fixture.Daemon.DockerAsync("push", baseName)).EnsureSuccess();
        using var context = new BuildContextDirectory($"FROM {baseName}\nENV STAGE=built\nRUN echo layered > /layer\nCMD [\"cat\", \"/layer\"]\n");

        await using var builder = await BerthDaemon.StartAsync(withBusybox: false);
        var build = await builder.DockerAsync("build", "-t", builtName, context.Path);
        var push = await builder.DockerAsync("push", builtName);
        await using var runner = await BerthDaemon.StartAsync(withBusybox: false);
        var run = await runner.DockerAsync("run", "--rm", builtName);

        Assert.Contains($"Status: Downloaded newer image for {baseName}", build.EnsureSuccess().Stdout);
        Assert.Contains($"Successfully tagged {builtName}", build.Stdout);
        Assert.Contains(": Pushed", push.EnsureSuccess().Stdout);
        Assert.Equal("layered\n", run.EnsureSuccess().Stdout);
        var history = await runner.DockerAsync("history", "--format", "{{.CreatedBy}}", builtName);
        Assert.Contains("ENV STAGE=built", history.EnsureSuccess().Stdout);
    }
}
