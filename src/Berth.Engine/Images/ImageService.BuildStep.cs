using System.Text.Json;
using Berth.Oci.Images;
using Berth.Oci.Layers;
using ImageRootFs = Berth.Oci.Images.ImageRootFs;

namespace Berth.Engine.Images;

/// <summary>
/// One step of a Dockerfile build, as the classic builder commits it: the image's config is the builder's, verbatim
/// (not merged from a container's, as docker commit does), and <see cref="CacheKey"/> is kept as the image's
/// container_config, which is what a later build compares to reuse the step.
/// </summary>
public sealed record BuildStep(
    Image? Parent,
    ImageRuntimeConfig Config,
    ImageRuntimeConfig CacheKey,
    string CreatedBy,
    string? Author,
    string? ContainerId);

public sealed partial class ImageService
{
    /// <summary>
    /// Commits a build step: with <paramref name="upperDir"/> its changes become a new layer; without one (a metadata
    /// instruction), or when it holds no change, the image shares its parent's layers and its history entry is marked
    /// empty, as Docker marks it.
    /// </summary>
    public async Task<Image> CommitBuildStepAsync(BuildStep step, string? upperDir, string tempDir, CancellationToken cancellationToken)
    {
        var diffIds = new List<string>(step.Parent?.Config.RootFs.DiffIds ?? []);
        bool emptyLayer = upperDir is null || !Directory.Exists(upperDir) || !Directory.EnumerateFileSystemEntries(upperDir).Any();
        if (!emptyLayer)
        {
            var layer = await RegisterLayerAsync(layerFile => LayerWriter.WriteOverlayDiffAsync(upperDir!, layerFile, cancellationToken),
                step.Parent?.TopChainId, tempDir, cancellationToken);
            diffIds.Add(layer.DiffId);
        }
        return await CreateBuildImageAsync(step, diffIds, emptyLayer, cancellationToken);
    }

    /// <summary>
    /// The classic builder's cache: the newest child of <paramref name="parent"/> (an image without parent for the
    /// first step after FROM scratch) that was committed with the same <paramref name="cacheKey"/>.
    /// </summary>
    public Image? FindBuildCache(Image? parent, ImageRuntimeConfig cacheKey)
    {
        byte[] wanted = Canonical(cacheKey);
        var candidates = parent is null ? store.List().Where(i => i.Record.Parent is null) : store.ChildrenOf(parent.Id);
        return candidates
            .Where(i => i.Config.ContainerConfig is { } key && Canonical(key).AsSpan().SequenceEqual(wanted))
            .OrderByDescending(i => i.Config.Created)
            .FirstOrDefault();
    }

    private static byte[] Canonical(ImageRuntimeConfig config) =>
        JsonSerializer.SerializeToUtf8Bytes(config, OciImageJsonContext.Default.ImageRuntimeConfig);

    private async Task<Image> CreateBuildImageAsync(BuildStep step, List<string> diffIds, bool emptyLayer, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var parentConfig = step.Parent?.Config;
        var imageConfig = new ImageConfig
        {
            Architecture = parentConfig?.Architecture ?? Platform.Architecture,
            Variant = parentConfig?.Variant,
            Os = parentConfig?.Os ?? "linux",
            Author = step.Author,
            Created = now,
            Container = step.ContainerId,
            Config = step.Config,
            ContainerConfig = step.CacheKey,
            RootFs = new ImageRootFs { DiffIds = diffIds },
            History =
            [
                .. parentConfig?.History ?? [],
                new ImageHistory { Created = now, CreatedBy = step.CreatedBy, Author = step.Author, EmptyLayer = emptyLayer },
            ],
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(imageConfig, OciImageJsonContext.Default.ImageConfig);
        return await store.CreateAsync(json, step.Parent?.Id, cancellationToken);
    }
}
