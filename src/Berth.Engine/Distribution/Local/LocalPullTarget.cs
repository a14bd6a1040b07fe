using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Pull;
using Berth.Engine.Images;
using Berth.Engine.Snapshots;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.References;

namespace Berth.Engine.Distribution.Local;

/// <summary>Pulls into the daemon's own stores: layers through <see cref="LayerStore"/>, images through <see cref="ImageStore"/>.</summary>
public sealed class LocalPullTarget(IContentStore content, LayerStore layers, ImageStore images) : IPullTarget
{
    public IContentStore Content => content;

    public bool HasLayer(string chainId) => layers.Exists(chainId);

    public async Task<string> UnpackLayerAsync(Digest blob, long blobSize, string? parentChainId, string diffId, Action<long> onBytes, CancellationToken cancellationToken)
    {
        // The download already put the verified blob in the content store: unpack it from there, without a second copy.
        await using var stream = new CountingStream(content.OpenRead(blob), onBytes);
        var record = await layers.RegisterStoredAsync(stream, blob, blobSize, parentChainId, diffId, cancellationToken);
        return record.ChainId;
    }

    public bool HasImage(string imageId) => images.TryGet(imageId) is not null;

    public string? ImageIdOf(ImageReference reference) => images.TryResolve(reference.ToString())?.Id;

    public async Task<string> CreateImageAsync(byte[] config, CancellationToken cancellationToken) =>
        (await images.CreateAsync(config, null, cancellationToken)).Id;

    public void Tag(string imageId, ImageReference reference) => images.Tag(imageId, reference);
}
