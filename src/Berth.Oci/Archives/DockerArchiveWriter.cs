using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;

namespace Berth.Oci.Archives;

/// <summary>
/// Writes a <c>docker save</c> archive in the layout Docker 25+ writes, which every loader understands: an OCI image
/// layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>) holding each layer once, uncompressed, plus
/// Docker's <c>manifest.json</c> and <c>repositories</c> (what dockerd 20.10 and skopeo's docker-archive read), plus
/// the legacy <c>&lt;v1-id&gt;/{VERSION,json,layer.tar}</c> directories, their layer.tar a symlink into blobs.
/// </summary>
public static class DockerArchiveWriter
{
    private const int DirectoryMode = 0x1ed, FileMode = 0x1a4, SymlinkMode = 0x1ff; // 0755, 0644, 0777

    /// <summary>Writes <paramref name="images"/> to <paramref name="output"/> (flushed, not closed).</summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<ArchiveImageSource> images, CancellationToken cancellationToken)
    {
        // Not disposed: disposing a BufferedStream would close the caller's stream.
        var buffered = new BufferedStream(output, 1 << 16);
        var session = new Session(new TarStreamWriter(buffered));
        await session.WriteAsync(images, cancellationToken);
        await buffered.FlushAsync(cancellationToken);
    }

    private sealed class Session(TarStreamWriter tar)
    {
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);
        private readonly Dictionary<Digest, long> _layerSizes = [];

        public async Task WriteAsync(IReadOnlyList<ArchiveImageSource> images, CancellationToken cancellationToken)
        {
            await DirectoryAsync("blobs/", cancellationToken);
            await DirectoryAsync("blobs/sha256/", cancellationToken);
            foreach (var layer in images.SelectMany(image => image.Layers))
                if (!_layerSizes.ContainsKey(layer.DiffId))
                    _layerSizes[layer.DiffId] = await LayerBlobAsync(layer, cancellationToken);

            var manifestEntries = new List<ArchiveManifestEntry>();
            var indexEntries = new List<OciDescriptor>();
            var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var image in images)
            {
                var configDigest = await BlobAsync(image.ConfigJson, cancellationToken);
                var diffIds = image.Layers.Select(layer => layer.DiffId).ToList();
                var manifest = new OciManifestOrIndex
                {
                    MediaType = OciMediaTypes.ImageManifest,
                    Config = new OciDescriptor { MediaType = OciMediaTypes.ImageConfig, Digest = configDigest.ToString(), Size = image.ConfigJson.Length },
                    Layers = diffIds.Select(d => new OciDescriptor { MediaType = OciMediaTypes.Layer, Digest = d.ToString(), Size = _layerSizes[d] }).ToList(),
                };
                byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Writing.OciManifestOrIndex);
                var manifestDigest = await BlobAsync(manifestBytes, cancellationToken);
                indexEntries.AddRange(IndexEntries(image.RepoTags, manifestDigest, manifestBytes.Length));

                manifestEntries.Add(new ArchiveManifestEntry
                {
                    Config = ArchiveNames.BlobPath(configDigest),
                    RepoTags = image.RepoTags.Count == 0 ? null : image.RepoTags.ToList(),
                    Layers = diffIds.Select(ArchiveNames.BlobPath).ToList(),
                });

                var v1Ids = await LegacyLayersAsync(image, diffIds, configDigest, cancellationToken);
                if (_written.Add(configDigest.Hex + ".json"))
                    await SymlinkAsync(configDigest.Hex + ".json", ArchiveNames.BlobPath(configDigest), cancellationToken);
                foreach (var repoTag in image.RepoTags)
                    if (v1Ids.Count > 0 && ArchiveNames.SplitTag(repoTag) is var (repository, tag))
                        (repositories.TryGetValue(repository, out var tags) ? tags : repositories[repository] = new(StringComparer.Ordinal))[tag] = v1Ids[^1];
            }

            var index = new OciManifestOrIndex { MediaType = OciMediaTypes.ImageIndex, Manifests = indexEntries };
            await FileAsync("index.json", JsonSerializer.SerializeToUtf8Bytes(index, ArchiveJsonContext.Writing.OciManifestOrIndex), cancellationToken);
            await FileAsync("manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifestEntries, ArchiveJsonContext.Writing.ListArchiveManifestEntry), cancellationToken);
            await FileAsync("oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile(), ArchiveJsonContext.Writing.OciLayoutFile), cancellationToken);
            await FileAsync("repositories", JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Writing.DictionaryStringDictionaryStringString), cancellationToken);
            await tar.FinishAsync(cancellationToken);
        }

        /// <summary>One index.json entry per tag, annotated as containerd and Docker 25 do; one bare entry when untagged.</summary>
        private static IEnumerable<OciDescriptor> IndexEntries(IReadOnlyList<string> repoTags, Digest manifest, long size)
        {
            if (repoTags.Count == 0)
                yield return new OciDescriptor { MediaType = OciMediaTypes.ImageManifest, Digest = manifest.ToString(), Size = size };
            foreach (var repoTag in repoTags)
            {
                yield return new OciDescriptor
                {
                    MediaType = OciMediaTypes.ImageManifest,
                    Digest = manifest.ToString(),
                    Size = size,
                    Annotations = new()
                    {
                        [OciMediaTypes.ContainerdImageNameAnnotation] = ArchiveNames.FullyQualified(repoTag),
                        [OciMediaTypes.RefNameAnnotation] = ArchiveNames.SplitTag(repoTag)?.Tag ?? repoTag,
                    },
                };
            }
        }

        private async Task<List<string>> LegacyLayersAsync(ArchiveImageSource image, List<Digest> diffIds, Digest configDigest, CancellationToken cancellationToken)
        {
            var ids = ArchiveNames.V1Ids(diffIds, configDigest);
            for (int i = 0; i < ids.Count; i++)
            {
                if (!_written.Add(ids[i])) continue;
                string? parent = i == 0 ? null : ids[i - 1];
                await DirectoryAsync(ids[i] + "/", cancellationToken);
                await FileAsync(ids[i] + "/VERSION", "1.0"u8.ToArray(), cancellationToken);
                await FileAsync(ids[i] + "/json", LegacyLayerJson(ids[i], parent, i == ids.Count - 1 ? image.ConfigJson : null), cancellationToken);
                await SymlinkAsync(ids[i] + "/layer.tar", "../" + ArchiveNames.BlobPath(diffIds[i]), cancellationToken);
            }
            return ids;
        }

        /// <summary>The v1 "json" of a layer: for the top layer the image config without rootfs and history, as Docker writes it.</summary>
        private static byte[] LegacyLayerJson(string id, string? parent, byte[]? config)
        {
            var json = config is not null && JsonNode.Parse(config) is JsonObject parsed
                ? parsed
                : new JsonObject { ["created"] = "1970-01-01T00:00:00Z", ["container_config"] = new JsonObject() };
            json.Remove("rootfs");
            json.Remove("history");
            json["id"] = id;
            if (parent is not null) json["parent"] = parent;
            return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        }

        private async Task<long> LayerBlobAsync(ArchiveLayerSource layer, CancellationToken cancellationToken)
        {
            await using var source = await layer.OpenAsync(cancellationToken);
            FileStream? spool = null;
            try
            {
                Stream data = source;
                long size;
                if (layer.Size is { } known) size = known;
                else if (source.CanSeek) size = source.Length - source.Position;
                else
                {
                    spool = await SpoolAsync(source, cancellationToken);
                    (data, size) = (spool, spool.Length);
                }
                string path = ArchiveNames.BlobPath(layer.DiffId);
                _written.Add(path);
                await tar.WriteHeaderAsync(File(path, size), cancellationToken);
                await using var digesting = new DigestingStream(data, leaveOpen: true);
                await tar.CopyDataFromAsync(digesting, $"layer {layer.DiffId}", cancellationToken);
                if (digesting.Digest != layer.DiffId)
                    throw BerthException.Internal($"layer {layer.DiffId}: content hashes to {digesting.Digest} (the layer store is corrupt)");
                return size;
            }
            finally
            {
                if (spool is not null) await spool.DisposeAsync();
            }
        }

        /// <summary>A tar entry's size precedes its data: a stream of unknown length goes to a temporary file first.</summary>
        private static async Task<FileStream> SpoolAsync(Stream source, CancellationToken cancellationToken)
        {
            string path = Path.Combine(Path.GetTempPath(), $"berth-layer-{Guid.NewGuid():N}");
            var spool = new FileStream(path, System.IO.FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await source.CopyToAsync(spool, cancellationToken);
                spool.Position = 0;
                return spool;
            }
            catch
            {
                await spool.DisposeAsync();
                throw;
            }
        }

        private async Task<Digest> BlobAsync(byte[] content, CancellationToken cancellationToken)
        {
            var digest = Digest.Of(content);
            string path = ArchiveNames.BlobPath(digest);
            if (_written.Add(path)) await FileAsync(path, content, cancellationToken);
            return digest;
        }

        private async Task FileAsync(string path, byte[] content, CancellationToken cancellationToken)
        {
            await tar.WriteHeaderAsync(File(path, content.Length), cancellationToken);
            await tar.WriteDataAsync(content, cancellationToken);
        }

        private ValueTask DirectoryAsync(string path, CancellationToken cancellationToken) =>
            tar.WriteHeaderAsync(new TarHeader { Name = path, Type = TarEntryType.Directory, Mode = DirectoryMode }, cancellationToken);

        private ValueTask SymlinkAsync(string path, string target, CancellationToken cancellationToken) =>
            tar.WriteHeaderAsync(new TarHeader { Name = path, Type = TarEntryType.Symlink, LinkName = target, Mode = SymlinkMode }, cancellationToken);

        private static TarHeader File(string path, long size) =>
            new() { Name = path, Type = TarEntryType.RegularFile, Mode = FileMode, Size = size };
    }
}
