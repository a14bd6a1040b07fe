using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Push;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>Push and pull against Debian's docker-registry 2.8.2, the reference implementation of the distribution API.</summary>
public sealed class DockerRegistryTests : IAsyncLifetime
{
    private DockerRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await DockerRegistry.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private ImageReference Ref(string name) => ImageReference.Parse($"{_registry.Host}/{name}");

    [Fact]
    public async Task Pushed_image_pulls_back_with_the_same_digests()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a.bin", 300_000, seed: 1), TestImage.RandomLayer("b.bin", 2_000, seed: 2));
        using var pusher = new ClientWorkspace();
        var push = await image.StoreAsync(pusher.Content);
        var pushLog = new ProgressLog();
        var pushed = await pusher.Client.PushAsync(Ref("berth/app:v1"), push, pusher.Content, RegistryCredentials.Anonymous, pushLog, CancellationToken.None);

        Assert.Equal("v1", pushed.Tag);
        Assert.Equal($"The push refers to repository [{_registry.Host}/berth/app]", pushLog.Lines[0]);
        Assert.Equal(2, pushLog.Count("Pushed"));
        Assert.Equal(2, pushLog.Count("Preparing"));
        Assert.Contains($"v1: digest: {pushed.Digest} size: {pushed.Size}", pushLog.Lines);
        Assert.NotNull(pushLog.Messages[^1].Aux);

        using var puller = new ClientWorkspace();
        var pullLog = new ProgressLog();
        var pulled = await puller.Client.PullAsync(Ref("berth/app:v1"), puller.Target, RegistryCredentials.Anonymous, pullLog, CancellationToken.None);
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.Equal(pushed.Digest, pulled.ManifestDigest.ToString());
        Assert.True(pulled.Updated);
        foreach (var layer in image.Layers) Assert.True(puller.Content.Exists(Digest.Parse(layer.BlobDigest)));
        Assert.Equal(image.Id, puller.Target.References[$"{_registry.Host}/berth/app:v1"]);
        Assert.Equal(image.Id, puller.Target.References[$"{_registry.Host}/berth/app@{pushed.Digest}"]);
        Assert.Equal("v1: Pulling from berth/app", pullLog.Lines[0]);
        Assert.Equal(2, pullLog.Count("Pulling fs layer"));
        Assert.Equal(2, pullLog.Count("Download complete"));
        Assert.Equal(2, pullLog.Count("Pull complete"));
        Assert.Contains(pullLog.Messages, m => m.Status == "Downloading" && m.ProgressDetail!.Total == image.Layers[0].Blob.Length);
        Assert.Contains("Digest: " + pushed.Digest, pullLog.Lines);
        Assert.Equal($"Status: Downloaded newer image for {_registry.Host}/berth/app:v1", pullLog.Lines[^1]);

        // Again: the image is here and the tag already names it; like Docker, no layer lines.
        var againLog = new ProgressLog();
        var again = await puller.Client.PullAsync(Ref("berth/app:v1"), puller.Target, RegistryCredentials.Anonymous, againLog, CancellationToken.None);
        Assert.False(again.Updated);
        Assert.Equal(["v1: Pulling from berth/app", "Digest: " + pushed.Digest, $"Status: Image is up to date for {_registry.Host}/berth/app:v1"], againLog.Lines);

        // Another image sharing the bottom layer: that layer "Already exists".
        var sibling = TestImage.Create(image.Layers[0], TestImage.RandomLayer("c.bin", 1_000, seed: 3));
        await pusher.Client.PushAsync(Ref("berth/sibling:1"), await sibling.StoreAsync(pusher.Content), pusher.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        var siblingLog = new ProgressLog();
        await puller.Client.PullAsync(Ref("berth/sibling:1"), puller.Target, RegistryCredentials.Anonymous, siblingLog, CancellationToken.None);
        Assert.Equal(1, siblingLog.Count("Already exists"));
        Assert.Equal(1, siblingLog.Count("Pull complete"));

        // Pull by digest.
        using var byDigest = new ClientWorkspace();
        var digestPull = await byDigest.Client.PullAsync(Ref($"berth/app@{pushed.Digest}"), byDigest.Target, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(image.Id, digestPull.ImageId);

        // A second push of the same image finds every blob in place and gives the same digest.
        var secondLog = new ProgressLog();
        var second = await pusher.Client.PushAsync(Ref("berth/app:v1"), push, pusher.Content, RegistryCredentials.Anonymous, secondLog, CancellationToken.None);
        Assert.Equal(pushed.Digest, second.Digest);
        Assert.Equal(2, secondLog.Count("Layer already exists"));
    }

    [Fact]
    public async Task A_pulled_image_pushed_elsewhere_keeps_its_manifest_digest()
    {
        var image = TestImage.Create(TestImage.RandomLayer("x", 10_000, seed: 3));
        using var origin = new ClientWorkspace(new RegistryOptions { CertificateDirectories = [], PushManifestFormat = PushManifestFormat.Oci });
        var pushed = await origin.Client.PushAsync(Ref("berth/origin:1"), await image.StoreAsync(origin.Content), origin.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);

        using var daemon = new ClientWorkspace();
        await daemon.Client.PullAsync(Ref("berth/origin:1"), daemon.Target, RegistryCredentials.Anonymous, null, CancellationToken.None);
        var local = new PushImage(image.Id, image.Config, [new PushLayer(image.Layers[0].DiffId, image.Layers[0].BlobDigest, image.Layers[0].Blob.Length)]);
        var log = new ProgressLog();
        var copy = await daemon.Client.PushAsync(Ref("berth/copy:2"), local, daemon.Content, RegistryCredentials.Anonymous, log, CancellationToken.None);
        Assert.Equal(pushed.Digest, copy.Digest);
        Assert.Contains(log.Lines, l => l.EndsWith("Mounted from berth/origin", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(UploadMode.Monolithic)]
    [InlineData(UploadMode.Chunked)]
    [InlineData(UploadMode.Streamed)]
    public async Task Upload_modes(UploadMode mode)
    {
        var image = TestImage.Create(TestImage.RandomLayer("big", 200_000, seed: 4));
        using var pusher = new ClientWorkspace(new RegistryOptions { CertificateDirectories = [], UploadMode = mode, ChunkSize = 64 << 10 });
        var pushed = await pusher.Client.PushAsync(Ref($"berth/modes:{mode.ToString().ToLowerInvariant()}"), await image.StoreAsync(pusher.Content), pusher.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        using var puller = new ClientWorkspace();
        var pulled = await puller.Client.PullAsync(Ref($"berth/modes:{mode.ToString().ToLowerInvariant()}"), puller.Target, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(pushed.Digest, pulled.ManifestDigest.ToString());
        Assert.Equal(image.Id, pulled.ImageId);
    }

    [Fact]
    public async Task Plain_tar_layers_are_compressed_once_and_keep_their_digest()
    {
        var image = TestImage.Create(TestImage.RandomLayer("plain", 50_000, gzip: false, seed: 5));
        using var pusher = new ClientWorkspace();
        var push = await image.StoreAsync(pusher.Content);
        var first = await pusher.Client.PushAsync(Ref("berth/plain:1"), push, pusher.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        var second = await pusher.Client.PushAsync(Ref("berth/plain2:1"), push, pusher.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(first.Digest, second.Digest);
        var blob = pusher.Client.Metadata.BlobsOf(image.Layers[0].DiffId).First(b => b.Digest != image.Layers[0].BlobDigest);
        Assert.Equal(Oci.Images.MediaTypes.DockerLayerGzip, blob.MediaType);

        using var puller = new ClientWorkspace();
        var pulled = await puller.Client.PullAsync(Ref("berth/plain2:1"), puller.Target, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.True(puller.Content.Exists(Digest.Parse(blob.Digest)));
    }

    [Fact]
    public async Task Unknown_tags_and_repositories_fail_with_Dockers_words()
    {
        using var client = new ClientWorkspace();
        var image = TestImage.Create(TestImage.RandomLayer("x", 100, seed: 6));
        await client.Client.PushAsync(Ref("berth/known:1"), await image.StoreAsync(client.Content), client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);

        var tag = await Assert.ThrowsAsync<BerthException>(() => client.Client.PullAsync(Ref("berth/known:nope"), client.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, tag.Kind);
        Assert.Equal($"manifest for {_registry.Host}/berth/known:nope not found: manifest unknown: manifest unknown", tag.Message);

        var repository = await Assert.ThrowsAsync<BerthException>(() => client.Client.PullAsync(Ref("berth/unknown:1"), client.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, repository.Kind);
        Assert.Empty(client.Target.Images);
    }

    [Fact]
    public async Task Tags_of_a_repository_are_listed_for_all_tags_pulls()
    {
        using var client = new ClientWorkspace();
        var image = await TestImage.Create(TestImage.RandomLayer("x", 100, seed: 8)).StoreAsync(client.Content);
        foreach (string tag in new[] { "1", "2", "latest" })
            await client.Client.PushAsync(Ref("berth/tags:" + tag), image, client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        var tags = await client.Client.ListTagsAsync(Ref("berth/tags").WithoutTagOrDigest(), RegistryCredentials.Anonymous, CancellationToken.None);
        Assert.Equal(["1", "2", "latest"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Inspect_reports_the_descriptor_and_platform()
    {
        using var client = new ClientWorkspace();
        var image = TestImage.Create(TestImage.RandomLayer("x", 100, seed: 7));
        var pushed = await client.Client.PushAsync(Ref("berth/inspect:1"), await image.StoreAsync(client.Content), client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        var inspect = await client.Client.InspectAsync(Ref("berth/inspect:1"), RegistryCredentials.Anonymous, CancellationToken.None);
        Assert.Equal(pushed.Digest, inspect.Descriptor.Digest);
        Assert.Equal(Oci.Images.MediaTypes.DockerManifest, inspect.Descriptor.MediaType);
        Assert.Equal("linux", Assert.Single(inspect.Platforms).Os);
    }
}
