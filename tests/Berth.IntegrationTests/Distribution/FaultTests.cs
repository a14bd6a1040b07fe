using System.Text;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>Registries that misbehave, served by an in-test HTTP server on 127.0.0.1.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly FakeRegistry _registry = new();
    private readonly ClientWorkspace _client = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    private ImageReference Ref(string name) => ImageReference.Parse($"{_registry.Host}/{name}");

    private Task<Engine.Distribution.Pull.PullResult> PullAsync(string name, ProgressLog? log = null, ClientWorkspace? into = null) =>
        (into ?? _client).Client.PullAsync(Ref(name), (into ?? _client).Target, RegistryCredentials.Anonymous, log, CancellationToken.None);

    [Fact]
    public async Task A_blob_with_the_wrong_digest_fails_the_pull_and_nothing_is_stored()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 20_000, seed: 21));
        _registry.Add("bad/digest", "1", image);
        var layer = image.Layers[0];
        byte[] corrupted = layer.Blob.ToArray();
        corrupted[^10] ^= 0xff;
        _registry.Blobs[layer.BlobDigest] = corrupted;

        var error = await Assert.ThrowsAsync<BerthException>(() => PullAsync("bad/digest:1"));
        Assert.Equal($"filesystem layer verification failed for digest {layer.BlobDigest}", error.Message);
        Assert.False(_client.Content.Exists(Digest.Parse(layer.BlobDigest)));
        Assert.Empty(_client.Target.Images);
        Assert.Empty(_client.Target.References);
        Assert.Empty(_client.Content.List());
    }

    [Fact]
    public async Task A_manifest_that_is_not_JSON_is_a_clear_error()
    {
        _registry.AddManifest("bad/manifest", "1", Encoding.UTF8.GetBytes("<html>this is not a manifest</html>"), MediaTypes.DockerManifest);
        var error = await Assert.ThrowsAsync<BerthException>(() => PullAsync("bad/manifest:1"));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.StartsWith($"manifest for {_registry.Host}/bad/manifest:1 is not valid JSON", error.Message);
        Assert.Empty(_client.Target.Images);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_ten_redirects()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 1_000, seed: 22));
        _registry.Add("loop/app", "1", image);
        _registry.RedirectForever(image.Layers[0]);
        var error = await Assert.ThrowsAsync<BerthException>(() => PullAsync("loop/app:1"));
        Assert.Contains("stopped after 10 redirects", error.Message);
        Assert.Empty(_client.Target.Images);
    }

    [Fact]
    public async Task A_connection_cut_mid_layer_is_resumed_with_a_range_request()
    {
        var image = TestImage.Create(TestImage.RandomLayer("big", 400_000, seed: 23));
        _registry.Add("cut/app", "1", image);
        var layer = image.Layers[0];
        _registry.CutLayerDownloads(layer, cutAfter: 100_000, times: 2);

        var pulled = await PullAsync("cut/app:1");
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.Equal([null, "bytes=100000-", "bytes=200000-"], _registry.RangesAsked(layer));
        Assert.True(_client.Content.Exists(Digest.Parse(layer.BlobDigest)));
    }

    [Fact]
    public async Task A_500_in_the_middle_of_a_push_is_retried_then_reported()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 30_000, seed: 24), TestImage.RandomLayer("b", 30_000, seed: 25));
        var push = await image.StoreAsync(_client.Content);
        int failures = 1;
        _registry.Intercept = request =>
            request.Method == "PATCH" && Interlocked.Decrement(ref failures) >= 0 ? FakeResponse.Json(500, "boom") : null;
        var pushed = await _client.Client.PushAsync(Ref("flaky/app:1"), push, _client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None);
        Assert.Equal(pushed.Digest, Digest.Of(_registry.Manifests["flaky/app:1"].Bytes).ToString());

        var fresh = await TestImage.Create(TestImage.RandomLayer("c", 30_000, seed: 29)).StoreAsync(_client.Content);
        _registry.Intercept = request => request.Method == "PATCH" ? FakeResponse.Json(500, "boom") : null;
        var error = await Assert.ThrowsAsync<BerthException>(() =>
            _client.Client.PushAsync(Ref("broken/app:1"), fresh, _client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Equal("received unexpected HTTP status: 500 Internal Server Error", error.Message);
        Assert.DoesNotContain(_registry.Manifests.Keys, k => k.StartsWith("broken/app", StringComparison.Ordinal));
        Assert.Equal(0, _registry.CountRequests("PUT", "/v2/broken/app/manifests/"));
        Assert.Equal(5, _registry.CountRequests("PATCH", "/v2/broken/app/blobs/uploads/")); // dockerd's five attempts
    }

    [Fact]
    public async Task An_unreachable_registry_fails_with_the_words_of_dockers_dialer()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() =>
            _client.Client.PullAsync(ImageReference.Parse("127.0.0.1:1/nobody/home:1"), _client.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        // What the reference dockerd answers for the same pull (an insecure loopback registry is tried over plain HTTP last).
        Assert.Equal("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", error.Message);
        Assert.Equal(ErrorKind.Internal, error.Kind); // HTTP 500, as Docker answers
        Assert.Empty(_client.Target.Images);
    }

    [Fact]
    public async Task Concurrent_pulls_of_images_sharing_a_layer_fetch_it_once()
    {
        var shared = TestImage.RandomLayer("shared", 300_000, seed: 26);
        var one = TestImage.Create(shared, TestImage.RandomLayer("one", 1_000, seed: 27));
        var two = TestImage.Create(shared, TestImage.RandomLayer("two", 1_000, seed: 28));
        _registry.Add("share/one", "1", one);
        _registry.Add("share/two", "1", two);
        _registry.BlobDelay = TimeSpan.FromMilliseconds(300);

        await Task.WhenAll(PullAsync("share/one:1"), PullAsync("share/two:1"));
        Assert.Equal(1, _registry.CountRequests("GET", "/blobs/" + shared.BlobDigest));
        Assert.Equal(one.Id, _client.Target.References[$"{_registry.Host}/share/one:1"]);
        Assert.Equal(two.Id, _client.Target.References[$"{_registry.Host}/share/two:1"]);
        Assert.Equal(0, _client.Client.Downloads.ActiveCount);
    }

    [Fact]
    public async Task Downloads_are_bounded_and_queued_layers_wait()
    {
        var layers = Enumerable.Range(0, 5).Select(i => TestImage.RandomLayer("l" + i, 5_000, seed: 30 + i)).ToArray();
        var image = TestImage.Create(layers);
        _registry.Add("many/app", "1", image);
        _registry.BlobDelay = TimeSpan.FromMilliseconds(100);
        var log = new ProgressLog();
        using var client = new ClientWorkspace(new RegistryOptions { CertificateDirectories = [], MaxConcurrentDownloads = 2 });
        await PullAsync("many/app:1", log, client);
        Assert.Equal(3, log.Count("Waiting"));
        Assert.Equal(5, log.Count("Pull complete"));
        int pullComplete = log.Lines.ToList().FindIndex(l => l.EndsWith("Pull complete", StringComparison.Ordinal));
        Assert.StartsWith(layers[0].BlobDigest[7..19], log.Lines[pullComplete]);
    }

    [Fact]
    public async Task An_index_resolves_to_the_daemon_platform_and_schema_1_is_refused()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 1_000, seed: 40));
        string platformDigest = _registry.Add("multi/app", "platform", image);
        var platformBytes = _registry.Manifests["multi/app:platform"].Bytes;
        static string Entry(string digest, long size, string os, string arch) =>
            "{\"mediaType\":\"" + MediaTypes.DockerManifest + "\",\"digest\":\"" + digest + "\",\"size\":" + size +
            ",\"platform\":{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\"}}";
        string index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":[" + string.Join(",",
            Entry("sha256:" + new string('1', 64), 10, "linux", "s390x"),
            Entry(platformDigest, platformBytes.Length, "linux", Engine.Distribution.Manifests.PlatformSpec.Host.Architecture),
            Entry("sha256:" + new string('2', 64), 10, "unknown", "unknown")) + "]}";
        string indexDigest = _registry.AddManifest("multi/app", "1", Encoding.UTF8.GetBytes(index), MediaTypes.OciIndex);
        var pulled = await PullAsync("multi/app:1");
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.Equal(indexDigest, pulled.ManifestDigest.ToString());

        _registry.AddManifest("old/app", "1", Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"name\":\"old/app\",\"tag\":\"1\",\"fsLayers\":[]}"), MediaTypes.DockerSchema1SignedManifest);
        var error = await Assert.ThrowsAsync<BerthException>(() => PullAsync("old/app:1"));
        Assert.Contains("schema 1", error.Message);
    }

    [Fact]
    public async Task A_manifest_whose_digest_differs_from_the_one_asked_for_is_refused()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 1_000, seed: 41));
        string digest = _registry.Add("swap/app", "1", image);
        var other = TestImage.Create(TestImage.RandomLayer("b", 1_000, seed: 42));
        _registry.Add("swap/other", "1", other);
        _registry.Manifests[$"swap/app:{digest}"] = _registry.Manifests["swap/other:1"];
        var error = await Assert.ThrowsAsync<BerthException>(() => PullAsync($"swap/app@{digest}"));
        Assert.Equal($"manifest verification failed for digest {digest}", error.Message);
    }
}
