using System.Text.Json;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Clients;

/// <summary>skopeo (Debian's, written by nobody here) copies, inspects, lists and deletes against berth-registry.</summary>
public sealed class SkopeoTests : IAsyncLifetime
{
    private BerthRegistryProcess _registry = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _registry = await BerthRegistryProcess.StartAsync();
        _work = RepoPaths.NewTempDirectory("skopeo");
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Copy_inspect_list_pull_back_and_delete_round_trip()
    {
        var image = OciLayout.Create(Path.Combine(_work, "src"), [200_000, 3_000, 70_000], seed: 1);
        string target = $"docker://{_registry.HostPort}/team/app/web:v1";

        (await Tool.Skopeo("copy", "--dest-tls-verify=false", image.SkopeoReference, target)).EnsureSuccess("skopeo copy to registry");

        var inspect = (await Tool.Skopeo("inspect", "--tls-verify=false", "--raw", target)).EnsureSuccess("skopeo inspect --raw");
        Assert.Equal(image.Manifest, System.Text.Encoding.UTF8.GetBytes(inspect.Stdout));
        var details = (await Tool.Skopeo("inspect", "--tls-verify=false", target)).EnsureSuccess("skopeo inspect");
        using (var json = JsonDocument.Parse(details.Stdout))
            Assert.Equal(image.ManifestDigest.ToString(), json.RootElement.GetProperty("Digest").GetString());

        (await Tool.Skopeo("copy", "--dest-tls-verify=false", $"{target}", $"docker://{_registry.HostPort}/team/app/web:v2", "--src-tls-verify=false")).EnsureSuccess("skopeo copy tag to tag");
        var tags = (await Tool.Skopeo("list-tags", "--tls-verify=false", $"docker://{_registry.HostPort}/team/app/web")).EnsureSuccess("skopeo list-tags");
        using (var json = JsonDocument.Parse(tags.Stdout))
            Assert.Equal(["v1", "v2"], json.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).ToArray());

        string back = Path.Combine(_work, "back");
        (await Tool.Skopeo("copy", "--src-tls-verify=false", target, $"oci:{back}:v1")).EnsureSuccess("skopeo copy from registry");
        foreach (var (digest, _) in image.Layers)
            Assert.Equal(File.ReadAllBytes(Path.Combine(image.Directory, "blobs", "sha256", digest.Hex)), File.ReadAllBytes(Path.Combine(back, "blobs", "sha256", digest.Hex)));

        (await Tool.Skopeo("delete", "--tls-verify=false", target)).EnsureSuccess("skopeo delete");
        var gone = await Tool.Skopeo("inspect", "--tls-verify=false", target);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("manifest unknown", gone.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Copy_in_docker_v2s2_format_keeps_the_docker_media_type()
    {
        var image = OciLayout.Create(Path.Combine(_work, "s2"), [10_000], seed: 2);
        string target = $"docker://{_registry.HostPort}/s2/img:latest";
        (await Tool.Skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false", image.SkopeoReference, target)).EnsureSuccess("skopeo copy v2s2");
        var raw = (await Tool.Skopeo("inspect", "--tls-verify=false", "--raw", target)).EnsureSuccess("inspect");
        using var json = JsonDocument.Parse(raw.Stdout);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", json.RootElement.GetProperty("mediaType").GetString());
    }
}
