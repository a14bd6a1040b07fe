using System.Text.Json;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>
/// berthd talking to registries through the real docker CLI: push to berth-registry and to docker-registry 2.8.2, pull
/// back into a fresh berthd with the same digests, run it, and the errors dockerd gives.
/// </summary>
public sealed class DaemonPullPushTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    public static TheoryData<string> Registries => ["berth-registry", "docker-registry"];

    private static async Task<(IAsyncDisposable Registry, string Host)> StartRegistryAsync(string kind)
    {
        if (kind == "berth-registry")
        {
            var berth = await BerthRegistry.StartAsync();
            return (berth, berth.Host);
        }
        var docker = await DockerRegistry.StartAsync();
        return (docker, docker.Host);
    }

    [Theory]
    [MemberData(nameof(Registries))]
    public async Task Pushed_image_pulls_into_a_fresh_daemon_with_the_same_digests_and_runs(string kind)
    {
        var (registry, host) = await StartRegistryAsync(kind);
        await using var _ = registry;
        string name = $"{host}/berth/bb:1";
        (await Daemon.DockerAsync("tag", "busybox", name)).EnsureSuccess();

        var push = (await Daemon.DockerAsync("push", name)).EnsureSuccess();
        Assert.Contains($"The push refers to repository [{host}/berth/bb]", push.Stdout);
        Assert.Contains(": Pushed", push.Stdout);
        string digest = DigestIn(push.Stdout, "1: digest: ");
        Assert.Contains($"{host}/berth/bb@{digest}", await RepoDigestsAsync(Daemon, name));
        string imageId = (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", name)).EnsureSuccess().Stdout.Trim();

        await using var fresh = await BerthDaemon.StartAsync(withBusybox: false);
        var pull = (await fresh.DockerAsync("pull", name)).EnsureSuccess();
        Assert.Contains("1: Pulling from berth/bb", pull.Stdout);
        Assert.Contains(": Pull complete", pull.Stdout);
        Assert.Contains("Digest: " + digest, pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {name}", pull.Stdout);
        Assert.Equal(imageId, (await fresh.DockerAsync("image", "inspect", "-f", "{{.Id}}", name)).EnsureSuccess().Stdout.Trim());
        Assert.Contains($"{host}/berth/bb@{digest}", await RepoDigestsAsync(fresh, name));
        var images = (await fresh.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}")).EnsureSuccess();
        Assert.Contains($"{host}/berth/bb 1 {digest}", images.Stdout);
        Assert.Equal("hello", (await fresh.DockerAsync("run", "--rm", name, "echo", "hello")).EnsureSuccess().Stdout.Trim());

        var again = (await fresh.DockerAsync("pull", name)).EnsureSuccess();
        Assert.Contains($"Status: Image is up to date for {name}", again.Stdout);

        // By digest, into yet another daemon.
        await using var third = await BerthDaemon.StartAsync(withBusybox: false);
        var byDigest = (await third.DockerAsync("pull", $"{host}/berth/bb@{digest}")).EnsureSuccess();
        Assert.Contains("Digest: " + digest, byDigest.Stdout);
        Assert.Equal(imageId, (await third.DockerAsync("image", "inspect", "-f", "{{.Id}}", $"{host}/berth/bb@{digest}")).EnsureSuccess().Stdout.Trim());

        // The pulled image pushed again under another tag keeps its manifest, so its digest.
        (await fresh.DockerAsync("tag", name, $"{host}/berth/bb:again")).EnsureSuccess();
        var repush = (await fresh.DockerAsync("push", $"{host}/berth/bb:again")).EnsureSuccess();
        Assert.Contains(": Layer already exists", repush.Stdout);
        Assert.Equal(digest, DigestIn(repush.Stdout, "again: digest: "));
        (await Daemon.DockerAsync("rmi", name)).EnsureSuccess();
    }

    [Fact]
    public async Task Missing_manifests_fail_as_dockerd_says_before_any_stream()
    {
        await using var registry = await BerthRegistry.StartAsync();
        using var response = await Daemon.Http.PostAsync($"/images/create?fromImage={registry.Host}/nope&tag=2", null);
        Assert.Equal(404, (int)response.StatusCode);
        string message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith($"manifest for {registry.Host}/nope:2 not found: manifest unknown", message);

        var pull = await Daemon.DockerAsync("pull", $"{registry.Host}/nope:2");
        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"Error response from daemon: manifest for {registry.Host}/nope:2 not found: manifest unknown", pull.Stderr);

        var push = await Daemon.DockerAsync("push", $"{registry.Host}/not-here:1");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains($"An image does not exist locally with the tag: {registry.Host}/not-here", push.Stderr);
    }

    [Fact]
    public async Task Run_and_create_pull_what_they_lack()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string name = $"{registry.Host}/berth/runme:1";
        (await Daemon.DockerAsync("tag", "busybox", name)).EnsureSuccess();
        (await Daemon.DockerAsync("push", name)).EnsureSuccess();
        (await Daemon.DockerAsync("rmi", name)).EnsureSuccess();

        await using var fresh = await BerthDaemon.StartAsync(withBusybox: false);
        var docker = (await fresh.DockerAsync("run", "--rm", name, "echo", "from docker")).EnsureSuccess();
        Assert.Contains($"Unable to find image '{name}' locally", docker.Stderr);
        Assert.Contains("from docker", docker.Stdout);
        string digest = DigestIn(docker.Stderr, "Digest: ");
        string manifestBlob = Path.Combine(fresh.DataRoot, "content", "blobs", "sha256", digest["sha256:".Length..]);
        Assert.True(File.Exists(manifestBlob), "the pulled manifest is kept for a later push");

        // Its last tag gone, the pulled image goes too (its RepoDigests do not keep it, as in Docker).
        var rmi = (await fresh.DockerAsync("rmi", name)).EnsureSuccess();
        Assert.Contains("Deleted: sha256:", rmi.Stdout);
        Assert.Empty((await fresh.DockerAsync("images", "-aq")).Stdout.Trim());
        await WaitUntilAsync(() => !File.Exists(manifestBlob)); // its manifest blob goes with it
        var berth = (await fresh.BerthAsync("run", "--rm", name, "echo", "from berth")).EnsureSuccess();
        Assert.Contains($"Unable to find image '{name}' locally", berth.Stderr);
        Assert.Contains($"Status: Downloaded newer image for {name}", berth.Stderr);
        Assert.Contains("from berth", berth.Stdout);
    }

    [Fact]
    public async Task Distribution_inspect_reports_the_descriptor_and_platform()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string name = $"{registry.Host}/berth/inspect:1";
        (await Daemon.DockerAsync("tag", "busybox", name)).EnsureSuccess();
        string digest = DigestIn((await Daemon.DockerAsync("push", name)).EnsureSuccess().Stdout, "1: digest: ");

        using var response = await Daemon.Http.GetAsync($"/distribution/{name}/json");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(digest, root.GetProperty("Descriptor").GetProperty("digest").GetString());
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", root.GetProperty("Descriptor").GetProperty("mediaType").GetString());
        Assert.Equal("linux", root.GetProperty("Platforms")[0].GetProperty("os").GetString());
        (await Daemon.DockerAsync("rmi", name)).EnsureSuccess();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }

    private static async Task<string> RepoDigestsAsync(BerthDaemon daemon, string name) =>
        (await daemon.DockerAsync("image", "inspect", "-f", "{{json .RepoDigests}}", name)).EnsureSuccess().Stdout;

    private static string DigestIn(string output, string prefix)
    {
        string line = output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Split(' ')[0];
    }
}
