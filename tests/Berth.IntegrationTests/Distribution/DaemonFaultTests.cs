using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>berthd pulling from a registry that misbehaves (an in-test server on 127.0.0.1), driven by the docker CLI.</summary>
public sealed class DaemonFaultTests : IAsyncLifetime
{
    private readonly FakeRegistry _registry = new();
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(withBusybox: false);

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _registry.DisposeAsync();
    }

    private async Task<string> ImageIdAsync(string name) =>
        (await _daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", name)).EnsureSuccess().Stdout.Trim();

    [Fact]
    public async Task A_connection_cut_mid_layer_resumes_and_the_pull_finishes()
    {
        var image = TestImage.Create(TestImage.RandomLayer("big", 400_000, seed: 61));
        _registry.Add("cut/app", "1", image);
        var layer = image.Layers[0];
        int cuts = 0;
        _registry.Intercept = request =>
        {
            if (request.Method != "GET" || !request.Path.EndsWith(layer.BlobDigest, StringComparison.Ordinal) || Interlocked.Increment(ref cuts) > 2) return null;
            long from = request.Header("range") is { } range ? long.Parse(range[6..].Split('-')[0]) : 0;
            var partial = new FakeResponse { Status = from > 0 ? 206 : 200, Body = layer.Blob[(int)from..], CutAfter = 100_000 };
            if (from > 0) partial.Headers["Content-Range"] = $"bytes {from}-{layer.Blob.Length - 1}/{layer.Blob.Length}";
            return partial;
        };

        var pull = (await _daemon.DockerAsync("pull", $"{_registry.Host}/cut/app:1")).EnsureSuccess();
        Assert.Contains(": Pull complete", pull.Stdout);
        Assert.Equal(image.Id, await ImageIdAsync($"{_registry.Host}/cut/app:1"));
        var ranges = _registry.Requests.Where(r => r.Path.EndsWith(layer.BlobDigest, StringComparison.Ordinal)).Select(r => r.Header("range")).ToList();
        Assert.Equal([null, "bytes=100000-", "bytes=200000-"], ranges);
    }

    [Fact]
    public async Task Two_concurrent_pulls_sharing_a_layer_fetch_it_once()
    {
        var shared = TestImage.RandomLayer("shared", 300_000, seed: 62);
        var one = TestImage.Create(shared, TestImage.RandomLayer("one", 1_000, seed: 63));
        var two = TestImage.Create(shared, TestImage.RandomLayer("two", 1_000, seed: 64));
        _registry.Add("share/one", "1", one);
        _registry.Add("share/two", "1", two);
        _registry.BlobDelay = TimeSpan.FromMilliseconds(300);

        var pulls = await Task.WhenAll(_daemon.DockerAsync("pull", $"{_registry.Host}/share/one:1"), _daemon.DockerAsync("pull", $"{_registry.Host}/share/two:1"));
        foreach (var pull in pulls) pull.EnsureSuccess();
        Assert.Equal(1, _registry.CountRequests("GET", "/blobs/" + shared.BlobDigest));
        Assert.Equal(one.Id, await ImageIdAsync($"{_registry.Host}/share/one:1"));
        Assert.Equal(two.Id, await ImageIdAsync($"{_registry.Host}/share/two:1"));
    }

    [Fact]
    public async Task A_blob_with_the_wrong_digest_fails_the_pull_and_leaves_no_image()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 20_000, seed: 65));
        _registry.Add("bad/digest", "1", image);
        var layer = image.Layers[0];
        byte[] corrupted = layer.Blob.ToArray();
        corrupted[^10] ^= 0xff;
        _registry.Blobs[layer.BlobDigest] = corrupted;

        var pull = await _daemon.DockerAsync("pull", $"{_registry.Host}/bad/digest:1");
        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("digest", pull.Stderr);
        Assert.Empty((await _daemon.DockerAsync("images", "-aq")).EnsureSuccess().Stdout.Trim());
    }
}
