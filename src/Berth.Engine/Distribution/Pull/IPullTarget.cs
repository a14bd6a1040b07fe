using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.References;

namespace Berth.Engine.Distribution.Pull;

/// <summary>
/// The local side of a pull: blobs are downloaded into <see cref="Content"/>, then unpacked layer by layer, and the image
/// becomes visible (created and tagged) only once every layer is in place.
/// </summary>
public interface IPullTarget
{
    IContentStore Content { get; }

    /// <summary>True when the layer chain is already unpacked (Docker's "Already exists").</summary>
    bool HasLayer(string chainId);

    /// <summary>
    /// Unpacks a downloaded blob (already in <see cref="Content"/>) on top of <paramref name="parentChainId"/>; it must
    /// hash to <paramref name="diffId"/> once uncompressed. <paramref name="onBytes"/> receives compressed bytes read.
    /// Returns the chain ID.
    /// </summary>
    Task<string> UnpackLayerAsync(Digest blob, long blobSize, string? parentChainId, string diffId, Action<long> onBytes, CancellationToken cancellationToken);

    /// <summary>True when the image (by ID, its config digest) is already here: Docker then skips its layers entirely.</summary>
    bool HasImage(string imageId);

    /// <summary>The image a reference names now, if any (to tell "up to date" from "newer image").</summary>
    string? ImageIdOf(ImageReference reference);

    /// <summary>Registers an image from its config once all its layers exist; returns its ID (the config digest).</summary>
    Task<string> CreateImageAsync(byte[] config, CancellationToken cancellationToken);

    /// <summary>Points a tag or digest reference at an image.</summary>
    void Tag(string imageId, ImageReference reference);
}
