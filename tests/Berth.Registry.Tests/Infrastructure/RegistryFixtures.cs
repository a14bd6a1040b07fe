namespace Berth.Registry.Tests.Infrastructure;

public sealed class BerthRegistryFixture : IAsyncLifetime
{
    public BerthRegistryProcess Registry { get; private set; } = null!;
    public async Task InitializeAsync() => Registry = await BerthRegistryProcess.StartAsync();
    public async Task DisposeAsync() => await Registry.DisposeAsync();
}

public sealed class DockerRegistryFixture : IAsyncLifetime
{
    public DockerRegistryProcess Registry { get; private set; } = null!;
    public async Task InitializeAsync() => Registry = await DockerRegistryProcess.StartAsync();
    public async Task DisposeAsync() => await Registry.DisposeAsync();
}
