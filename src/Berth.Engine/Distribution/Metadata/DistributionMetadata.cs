using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Metadata;

/// <summary>Where a blob is known to live: a registry (reference domain) and repository path; both empty for local.</summary>
public sealed record BlobSource(string Digest, string MediaType, long Size, string Registry, string Repository);

/// <summary>A manifest an image was pulled or pushed with; its bytes are kept in the content store.</summary>
public sealed record ManifestSource(string Digest, string MediaType, long Size, string Registry, string Repository);

/// <summary>
/// What distribution remembers between pulls and pushes (Docker's "v2 metadata"), one small JSON file per key:
/// <list type="bullet">
/// <item>per diff ID, the compressed blobs carrying that layer and the repositories they were seen in — so a push
/// asks HEAD for the right digest, mounts from a sibling repository, and pushes a plain layer's gzip blob (made once,
/// at its first push) again under the same digest;</item>
/// <item>per image ID, the manifests it was pulled or pushed with — so pushing a pulled image sends the very same
/// manifest bytes and keeps its digest.</item>
/// </list>
/// </summary>
public sealed class DistributionMetadata
{
    private readonly string _layersDir;
    private readonly string _imagesDir;
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    public DistributionMetadata(string root)
    {
        _layersDir = Path.Combine(root, "layers");
        _imagesDir = Path.Combine(root, "images");
        TempDirectory = Path.Combine(root, "tmp");
        Directory.CreateDirectory(_layersDir);
        Directory.CreateDirectory(_imagesDir);
        if (Directory.Exists(TempDirectory)) Directory.Delete(TempDirectory, recursive: true);
        Directory.CreateDirectory(TempDirectory);
        AtomicFile.RemoveLeftovers(_layersDir);
        AtomicFile.RemoveLeftovers(_imagesDir);
    }

    /// <summary>Scratch space for files on their way into the content store (emptied at start).</summary>
    public string TempDirectory { get; }

    public IReadOnlyList<BlobSource> BlobsOf(string diffId) => Read(LayerPath(diffId), MetadataJsonContext.Default.ListBlobSource);

    public void AddBlob(string diffId, BlobSource source) =>
        Update(LayerPath(diffId), MetadataJsonContext.Default.ListBlobSource, list =>
        {
            list.RemoveAll(s => s.Digest == source.Digest && s.Registry == source.Registry && s.Repository == source.Repository);
            list.Insert(0, source);
            if (list.Count > 50) list.RemoveRange(50, list.Count - 50);
        });

    public IReadOnlyList<ManifestSource> ManifestsOf(string imageId) => Read(ImagePath(imageId), MetadataJsonContext.Default.ListManifestSource);

    public void AddManifest(string imageId, ManifestSource source) =>
        Update(ImagePath(imageId), MetadataJsonContext.Default.ListManifestSource, list =>
        {
            list.RemoveAll(s => s.Digest == source.Digest && s.Registry == source.Registry && s.Repository == source.Repository);
            list.Insert(0, source);
            if (list.Count > 20) list.RemoveRange(20, list.Count - 20);
        });

    /// <summary>The images manifests are recorded for.</summary>
    public IReadOnlyList<string> ImageIds() =>
        Directory.EnumerateFiles(_imagesDir, "*.json").Select(f => "sha256:" + Path.GetFileNameWithoutExtension(f)).ToList();

    /// <summary>Forgets an image's manifests (when the image is deleted).</summary>
    public void RemoveImage(string imageId)
    {
        string path = ImagePath(imageId);
        lock (LockOf(path)) File.Delete(path);
    }

    private string LayerPath(string diffId) => Path.Combine(_layersDir, Digest.Parse(diffId).Hex + ".json");

    private string ImagePath(string imageId) => Path.Combine(_imagesDir, Digest.Parse(imageId).Hex + ".json");

    private object LockOf(string path) => _locks.GetOrAdd(path, _ => new object());

    private List<T> Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type)
    {
        lock (LockOf(path)) return ReadUnlocked(path, type);
    }

    private static List<T> ReadUnlocked<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type)
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? [];
        }
        catch (JsonException)
        {
            return []; // metadata is a cache of what registries hold: losing it costs bandwidth, never correctness
        }
    }

    private void Update<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type, Action<List<T>> change)
    {
        lock (LockOf(path))
        {
            var list = ReadUnlocked(path, type);
            change(list);
            AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(list, type));
        }
    }
}

[JsonSerializable(typeof(List<BlobSource>))]
[JsonSerializable(typeof(List<ManifestSource>))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
