using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>
/// berthd retrying layer downloads as dockerd 20.10 does (max-download-attempts retries after the first download, a
/// countdown of 5, 10, 15 … seconds in the layer's progress), against an in-test registry on 127.0.0.1 whose blob
/// fails. The test daemon's countdown ticks in 10 ms instead of seconds (BERTH_TEST_RETRY_STEP_MS).
/// </summary>
public sealed class DaemonRetryTests : IAsyncLifetime
{
    private readonly FakeRegistry _registry = new();
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"berth-retry-{Guid.NewGuid():N}.json");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        File.Delete(_config);
    }

    private (TestLayer Layer, string Reference) Publish(string repository, int seed)
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 20_000, seed: seed));
        _registry.Add(repository, "1", image);
        return (image.Layers[0], $"{_registry.Host}/{repository}:1");
    }

    private static async Task<string> PullStreamAsync(BerthDaemon daemon, string reference)
    {
        int colon = reference.LastIndexOf(':');
        using var response = await daemon.Http.PostAsync($"/images/create?fromImage={Uri.EscapeDataString(reference[..colon])}&tag={reference[(colon + 1)..]}", null);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_layer_that_fails_twice_is_retried_with_dockerds_countdown_and_the_pull_finishes()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        var (layer, reference) = Publish("retry/app", seed: 71);
        _registry.FailLayerDownloads(layer, times: 2);

        string stream = await PullStreamAsync(daemon, reference);

        string id = layer.BlobDigest[7..19];
        Assert.Contains($"{{\"status\":\"Retrying in 5 seconds\",\"progressDetail\":{{}},\"id\":\"{id}\"}}", stream);
        Assert.Contains("\"Retrying in 1 second\"", stream);
        Assert.Contains("\"Retrying in 10 seconds\"", stream);
        Assert.DoesNotContain("\"Retrying in 15 seconds\"", stream);
        Assert.Contains("Pull complete", stream);
        Assert.DoesNotContain("\"error\"", stream);
        Assert.Equal(3, _registry.CountRequests("GET", "/blobs/" + layer.BlobDigest));
    }

    [Fact]
    public async Task Max_download_attempts_bounds_the_retries_and_a_sighup_changes_it()
    {
        File.WriteAllText(_config, """{"max-download-attempts": 1}""");
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false, ["--config-file", _config]);
        Assert.DoesNotContain("max-download-attempts", daemon.Log()); // acted on, so no warning about it
        var (layer, reference) = Publish("always/broken", seed: 72);
        _registry.FailLayerDownloads(layer, times: int.MaxValue);

        var pull = await daemon.DockerAsync("pull", reference);
        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("received unexpected HTTP status: 500 Internal Server Error", pull.Stderr);
        Assert.Equal(2, _registry.CountRequests("GET", "/blobs/" + layer.BlobDigest)); // one download and one retry

        File.WriteAllText(_config, """{"max-download-attempts": 3}""");
        await daemon.HangUpAsync();
        await daemon.WaitUntilAsync(() => Task.FromResult(daemon.Log().Contains("max-download-attempts=3", StringComparison.Ordinal)), "reload");

        string stream = await PullStreamAsync(daemon, reference);
        Assert.Contains("\"Retrying in 15 seconds\"", stream);
        Assert.EndsWith("{\"errorDetail\":{\"message\":\"received unexpected HTTP status: 500 Internal Server Error\"},\"error\":\"received unexpected HTTP status: 500 Internal Server Error\"}", stream.Trim());
        Assert.Equal(2 + 4, _registry.CountRequests("GET", "/blobs/" + layer.BlobDigest));
        Assert.Empty((await daemon.DockerAsync("images", "-aq")).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task A_blob_the_registry_does_not_have_is_not_retried()
    {
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: false);
        var (layer, reference) = Publish("gone/app", seed: 73);
        _registry.Blobs.TryRemove(layer.BlobDigest, out _);

        var pull = await daemon.DockerAsync("pull", reference);
        Assert.Equal(1, pull.ExitCode);
        Assert.DoesNotContain("Retrying", pull.Stdout);
        Assert.Equal(1, _registry.CountRequests("GET", "/blobs/" + layer.BlobDigest));
    }
}
