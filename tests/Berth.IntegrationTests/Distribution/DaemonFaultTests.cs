using System.Text;
using Berth.IntegrationTests.Archives;
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
        _registry.CutLayerDownloads(layer, cutAfter: 100_000, times: 2);

        var pull = (await _daemon.DockerAsync("pull", $"{_registry.Host}/cut/app:1")).EnsureSuccess();
        Assert.Contains(": Pull complete", pull.Stdout);
        Assert.Equal(image.Id, await ImageIdAsync($"{_registry.Host}/cut/app:1"));
        Assert.Equal([null, "bytes=100000-", "bytes=200000-"], _registry.RangesAsked(layer));
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

    private async Task AssertNoImagesAsync() =>
        Assert.Empty((await _daemon.DockerAsync("images", "-aq")).EnsureSuccess().Stdout.Trim());

    [Fact]
    public async Task A_manifest_that_is_not_JSON_fails_the_pull_clearly_and_leaves_no_image()
    {
        _registry.AddManifest("bad/manifest", "1", Encoding.UTF8.GetBytes("<html>this is not a manifest</html>"), Berth.Oci.Images.MediaTypes.DockerManifest);
        var pull = await _daemon.DockerAsync("pull", $"{_registry.Host}/bad/manifest:1");
        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"Error response from daemon: manifest for {_registry.Host}/bad/manifest:1 is not valid JSON", pull.Stderr);
        await AssertNoImagesAsync();
    }

    [Fact]
    public async Task A_redirect_loop_fails_the_pull_after_ten_redirects_and_leaves_no_image()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 1_000, seed: 66));
        _registry.Add("loop/app", "1", image);
        _registry.RedirectForever(image.Layers[0]);
        var pull = await _daemon.DockerAsync("pull", $"{_registry.Host}/loop/app:1");
        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("stopped after 10 redirects", pull.Stderr);
        await AssertNoImagesAsync();
    }

    [Fact]
    public async Task A_500_in_the_middle_of_a_push_is_retried_as_dockerd_does_then_fails_it_and_no_manifest_is_made()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 20_000, seed: 67), TestImage.RandomLayer("b", 20_000, seed: 68));
        _registry.Add("src/app", "1", image);
        (await _daemon.DockerAsync("pull", $"{_registry.Host}/src/app:1")).EnsureSuccess();
        // The fake registry keeps blobs for all repositories: forget them, and push under another spelling of the
        // registry (no cross-repository mount), so that every layer is uploaded.
        _registry.Blobs.Clear();
        string target = $"localhost:{_registry.Host.Split(':')[1]}/broken/app:1";
        (await _daemon.DockerAsync("tag", $"{_registry.Host}/src/app:1", target)).EnsureSuccess();
        string failing = image.Layers[1].BlobDigest;
        _registry.Intercept = request =>
            request.Method == "PUT" && request.Path.StartsWith("/v2/broken/app/blobs/uploads/", StringComparison.Ordinal) && request.QueryValue("digest") == failing
                ? FakeResponse.Json(500, "boom") : null;

        var push = await _daemon.DockerAsync("push", target);
        Assert.Equal(1, push.ExitCode);
        Assert.Contains("received unexpected HTTP status: 500 Internal Server Error", push.Stderr);
        Assert.Equal(5, _registry.Requests.Count(r => r.Method == "PUT" && r.QueryValue("digest") == failing)); // dockerd 20.10's five attempts
        Assert.Contains("Retrying in 20 seconds", push.Stdout);
        Assert.Equal(0, _registry.CountRequests("PUT", "/v2/broken/app/manifests/"));
        Assert.DoesNotContain(_registry.Manifests.Keys, k => k.StartsWith("broken/app", StringComparison.Ordinal));
        Assert.Equal(image.Id, await ImageIdAsync(target)); // the local image is untouched
    }
}
