using Berth.Engine.Snapshots;
using Berth.Oci.Archives;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// docker load: unpacks the archive into <paramref name="scratchDir"/>, registers each image's layers (verifying
    /// their diff IDs against the config) and tags it. Reports one line per loaded name, as Docker does.
    /// </summary>
    public async Task<List<string>> LoadAsync(Stream archive, string scratchDir, CancellationToken cancellationToken)
    {
        var parsed = await DockerArchiveReader.ReadAsync(archive, scratchDir, cancellationToken);
        var messages = new List<string>();
        foreach (var entry in parsed.Images)
        {
            var config = ImageStore.ParseConfig(entry.ConfigJson);
            if (config.RootFs.DiffIds.Count != entry.LayerPaths.Count)
                throw BerthException.Invalid($"invalid manifest, layers length mismatch: expected {config.RootFs.DiffIds.Count}, got {entry.LayerPaths.Count}");
            string? parent = null;
            for (int i = 0; i < entry.LayerPaths.Count; i++)
            {
                string chainId = ChainIds.Next(parent, config.RootFs.DiffIds[i]);
                if (!layers.Exists(chainId))
                {
                    await using var layerStream = File.OpenRead(entry.LayerPaths[i]);
                    await layers.RegisterAsync(layerStream, parent, config.RootFs.DiffIds[i], cancellationToken);
                }
                parent = chainId;
            }
            var image = await store.CreateAsync(entry.ConfigJson, null, cancellationToken);
            Publish("load", image.Id, image.Id);
            if (entry.RepoTags.Count == 0)
            {
                messages.Add($"Loaded image ID: {image.Id}");
                continue;
            }
            foreach (var tag in entry.RepoTags)
            {
                var reference = ImageReference.Parse(tag);
                string? previous = store.Tag(image.Id, reference);
                if (previous is not null)
                    messages.Add($"The image {reference.FamiliarString} already exists, renaming the old one with ID {previous} to empty string");
                Publish("tag", image.Id, reference.FamiliarString);
                messages.Add($"Loaded image: {reference.FamiliarString}");
            }
        }
        return messages;
    }

    /// <summary>docker save: the named images (and the names used) in Docker's archive format.</summary>
    public async Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, (Image Image, List<string> Tags)>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var image = store.Resolve(name);
            if (!byId.TryGetValue(image.Id, out var entry)) byId[image.Id] = entry = (image, []);
            if (ImageReference.LooksLikeFullId(name) || IsIdPrefix(name, image.Id))
                continue;
            var reference = ImageReference.Parse(name);
            if (reference.Digest is null) entry.Tags.Add(reference.FamiliarString);
        }
        var sources = byId.Values.Select(entry => new ArchiveImageSource(
            store.ReadConfigBytes(Oci.Digests.Digest.Parse(entry.Image.Id)),
            entry.Tags,
            entry.Image.ChainIds.Select((chainId, i) => new ArchiveLayerSource(
                Oci.Digests.Digest.Parse(entry.Image.Config.RootFs.DiffIds[i]),
                ct => layers.OpenTarAsync(chainId, ct))).ToList())).ToList();
        await DockerArchiveWriter.WriteAsync(output, sources, cancellationToken);
        foreach (var entry in byId.Values) Publish("save", entry.Image.Id, entry.Image.Id);
    }
}
