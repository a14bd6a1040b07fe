using Berth.Engine.Distribution.Metadata;
using Berth.Engine.Events;
using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Engine.Distribution.Local;

/// <summary>
/// Pulls and pushes keep an image's manifest bytes in the content store (so a later push sends them unchanged); once
/// the image is deleted nothing refers to them any more, so they and the image's distribution metadata go too.
/// </summary>
public sealed class ManifestCleanup(DistributionMetadata metadata, IContentStore content, Func<string, bool> imageExists)
{
    /// <summary>Forgets what is kept for a deleted image; nothing when the image exists (again: pulled meanwhile).</summary>
    public void Forget(string imageId)
    {
        if (imageExists(imageId)) return;
        var manifests = metadata.ManifestsOf(imageId);
        metadata.RemoveImage(imageId);
        // A manifest names its config, so its digest belongs to this image alone.
        foreach (var manifest in manifests)
            if (Digest.TryParse(manifest.Digest, out var digest)) content.Delete(digest);
    }

    /// <summary>At start-up: images deleted while nobody listened (a crash between delete and cleanup).</summary>
    public void Sweep()
    {
        foreach (string imageId in metadata.ImageIds()) Forget(imageId);
    }

    /// <summary>Follows image deletions until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(EventBus events, CancellationToken cancellationToken)
    {
        using var subscription = events.Subscribe(null);
        try
        {
            await foreach (var engineEvent in subscription.Live.ReadAllAsync(cancellationToken))
                if (engineEvent is { Type: "image", Action: "delete" }) Forget(engineEvent.ActorId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
