using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Local;
using Berth.Engine.Images;
using Berth.Engine.Snapshots;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>Pull into the daemon's real layer and image stores (layers unpacked on disk), then push the pulled image back.</summary>
public sealed class LocalStoresTests : IAsyncLifetime
{
    private DockerRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await DockerRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Pulled_layers_are_unpacked_and_the_image_is_tagged_with_its_digest()
    {
        var image = TestImage.Create(
            TestImage.Layer("etc/greeting", "hello from the registry\n"u8.ToArray()),
            TestImage.RandomLayer("data.bin", 100_000, seed: 61));
        var reference = ImageReference.Parse($"{_registry.Host}/local/app:1");
        using var origin = new ClientWorkspace();
        var pushed = await origin.Client.PushAsync(reference, await image.StoreAsync(origin.Content), origin.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);

        using var daemon = new ClientWorkspace();
        var layers = new LayerStore(Path.Combine(daemon.Root, "layers"), daemon.Content);
        var images = new ImageStore(Path.Combine(daemon.Root, "images"), daemon.Content, layers);
        var log = new ProgressLog();
        var pulled = await daemon.Client.PullAsync(reference, new LocalPullTarget(daemon.Content, layers, images), RegistryCredentials.Anonymous, log, CancellationToken.None);

        var local = images.Resolve(reference.ToString());
        Assert.Equal(image.Id, local.Id);
        Assert.Equal(pulled.ImageId, local.Id);
        Assert.Contains($"{_registry.Host}/local/app:1", local.RepoTags);
        Assert.Contains($"{_registry.Host}/local/app@{pushed.Digest}", local.RepoDigests);
        Assert.Equal("hello from the registry\n", await File.ReadAllTextAsync(Path.Combine(layers.DiffDirOf(local.ChainIds[0]), "etc/greeting")));
        Assert.NotEqual(0, log.Count("Extracting"));
        Assert.Equal(2, log.Count("Pull complete"));

        var copy = ImageReference.Parse($"{_registry.Host}/local/copy:1");
        var again = await daemon.Client.PushAsync(copy, LocalPushSource.From(images, layers, local), daemon.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(pushed.Digest, again.Digest);
    }
}
