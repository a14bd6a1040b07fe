using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Oci.Archives;

/// <summary>The unpacked archive: resolves and verifies the files its manifests name.</summary>
internal sealed class ArchiveContents(string root, IReadOnlyDictionary<string, Digest> fileDigests)
{
    // Configs and manifests are small JSON documents; a huge one is an attack on memory, not an image.
    private const long MaxConfigSize = 32 << 20;

    public async Task<List<ArchiveImage>> ReadDockerManifestAsync(CancellationToken cancellationToken)
    {
        string manifestPath = ResolveFile("manifest.json")
            ?? throw BerthException.Invalid("open manifest.json: no such file or directory");
        var entries = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(manifestPath, cancellationToken), ArchiveJsonContext.Default.ListArchiveManifestEntry)
            ?? throw BerthException.Invalid("invalid image archive: manifest.json is null");
        var images = new List<ArchiveImage>();
        foreach (var entry in entries)
        {
            var config = await ReadConfigAsync(entry.Config, expected: null, cancellationToken);
            var layers = await VerifyLayersAsync(config.DiffIds, entry.Layers, cancellationToken);
            images.Add(new ArchiveImage(config.Bytes, config.Digest, layers, entry.RepoTags ?? [], config.DiffIds));
        }
        return images;
    }

    public async Task<List<ArchiveImage>> ReadOciIndexAsync(CancellationToken cancellationToken)
    {
        var index = await ReadJsonBlobAsync("index.json", ArchiveJsonContext.Default.OciManifestOrIndex, cancellationToken);
        // One image per manifest; several tags of one image appear as several descriptors of the same digest.
        var images = new List<ArchiveImage>();
        var byManifest = new Dictionary<string, (OciManifestOrIndex Manifest, List<string> Tags)>(StringComparer.Ordinal);
        foreach (var descriptor in index.Manifests ?? [])
        {
            var manifestDescriptor = await PickManifestAsync(descriptor, cancellationToken);
            if (manifestDescriptor is null) continue;
            if (!byManifest.TryGetValue(manifestDescriptor.Digest, out var image))
            {
                var manifest = await ReadJsonBlobAsync(BlobPath(manifestDescriptor.Digest), ArchiveJsonContext.Default.OciManifestOrIndex, cancellationToken);
                byManifest[manifestDescriptor.Digest] = image = (manifest, []);
            }
            if (TagOf(descriptor) is { } tag && !image.Tags.Contains(tag)) image.Tags.Add(tag);
        }
        foreach (var (manifest, tags) in byManifest.Values)
        {
            var configDescriptor = manifest.Config ?? throw BerthException.Invalid("invalid image archive: image manifest has no config");
            var config = await ReadConfigAsync(BlobPath(configDescriptor.Digest), Digest.Parse(configDescriptor.Digest), cancellationToken);
            var layerPaths = (manifest.Layers ?? []).Select(layer => BlobPath(layer.Digest)).ToList();
            var layers = await VerifyLayersAsync(config.DiffIds, layerPaths, cancellationToken);
            images.Add(new ArchiveImage(config.Bytes, config.Digest, layers, tags, config.DiffIds));
        }
        return images;
    }

    /// <summary>An index entry is an image manifest, or a nested index from which the one for this platform is taken.</summary>
    private async Task<OciDescriptor?> PickManifestAsync(OciDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (descriptor.MediaType is not (OciMediaTypes.ImageIndex or OciMediaTypes.DockerManifestList)) return descriptor;
        var nested = await ReadJsonBlobAsync(BlobPath(descriptor.Digest), ArchiveJsonContext.Default.OciManifestOrIndex, cancellationToken);
        string architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return nested.Manifests?.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == architecture
                && m.MediaType is OciMediaTypes.ImageManifest or OciMediaTypes.DockerManifest);
    }

    /// <summary>The tag an index entry names, as Docker shows it ("busybox:latest").</summary>
    private static string? TagOf(OciDescriptor descriptor)
    {
        var annotations = descriptor.Annotations;
        if (annotations is null) return null;
        if (!annotations.TryGetValue(OciMediaTypes.ContainerdImageNameAnnotation, out var name))
        {
            // A bare ref name ("latest") has no repository to tag; only a full reference is usable.
            if (!annotations.TryGetValue(OciMediaTypes.RefNameAnnotation, out name) || !name.Contains(':')) return null;
        }
        foreach (var prefix in (string[])["docker.io/library/", "docker.io/"])
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
        return name;
    }

    private async Task<(byte[] Bytes, Digest Digest, List<Digest> DiffIds)> ReadConfigAsync(string path, Digest? expected, CancellationToken cancellationToken)
    {
        string file = ResolveFile(path) ?? throw BerthException.Invalid($"open {path}: no such file or directory");
        if (new FileInfo(file).Length > MaxConfigSize) throw BerthException.Invalid($"image config {path}: too large");
        byte[] bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        var digest = Digest.Of(bytes);
        if (expected is { } want && want != digest)
            throw BerthException.Invalid($"image config {path}: digest is {digest}, expected {want}");
        var rootFs = JsonSerializer.Deserialize(bytes, ArchiveJsonContext.Default.ImageConfigRootFs)?.RootFs;
        var diffIds = (rootFs?.DiffIds ?? []).Select(d => Digest.TryParse(d, out var parsed)
            ? parsed : throw BerthException.Invalid($"image config {path}: invalid diff ID \"{d}\"")).ToList();
        return (bytes, digest, diffIds);
    }

    private async Task<List<string>> VerifyLayersAsync(List<Digest> diffIds, List<string> layers, CancellationToken cancellationToken)
    {
        if (layers.Count != diffIds.Count)
            throw BerthException.Invalid($"invalid manifest, layers length mismatch: expected {layers.Count}, got {diffIds.Count}");
        var paths = new List<string>();
        for (int i = 0; i < layers.Count; i++)
        {
            string file = ResolveFile(layers[i]) ?? throw BerthException.Invalid($"open {layers[i]}: no such file or directory");
            var actual = await DiffIdOfAsync(file, cancellationToken);
            if (actual != diffIds[i])
                throw BerthException.Invalid($"invalid diffID for layer {i}: expected \"{diffIds[i]}\", got \"{actual}\"");
            paths.Add(file);
        }
        return paths;
    }

    /// <summary>The sha256 of a layer's uncompressed tar: for an uncompressed layer, the hash taken during extraction.</summary>
    private async Task<Digest> DiffIdOfAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        var (content, kind) = await Compression.DecompressAsync(stream, leaveOpen: true, cancellationToken);
        await using (content)
        {
            if (kind == CompressionKind.None && fileDigests.TryGetValue(file[(root.Length + 1)..], out var known)) return known;
            return await Digest.OfAsync(content, cancellationToken);
        }
    }

    private async Task<T> ReadJsonBlobAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        string file = ResolveFile(path) ?? throw BerthException.Invalid($"open {path}: no such file or directory");
        if (new FileInfo(file).Length > MaxConfigSize) throw BerthException.Invalid($"{path}: too large");
        return JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken), type)
            ?? throw BerthException.Invalid($"invalid image archive: {path} is null");
    }

    private static string BlobPath(string digest)
    {
        var parsed = Digest.Parse(digest);
        return $"blobs/{parsed.Algorithm}/{parsed.Hex}";
    }

    public bool Has(string path) => ResolveFile(path) is not null;

    /// <summary>The real path of a regular file named by the archive, resolved within it; null if there is none.</summary>
    private string? ResolveFile(string path)
    {
        string relative = ScopedPath.Resolve(root, path);
        if (relative.Length == 0) return null;
        string full = root + "/" + relative;
        return File.Exists(full) ? full : null;
    }
}
