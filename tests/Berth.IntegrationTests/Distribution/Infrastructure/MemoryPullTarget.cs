using System.Collections.Concurrent;
using Berth.Engine.Distribution.Pull;
using Berth.Engine.Snapshots;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>
/// A pull target over a real content store that "unpacks" a layer by decompressing it and checking its diff ID, and
/// keeps images and references in memory: what the registry client hands over, without the layer and image stores.
/// </summary>
public sealed class MemoryPullTarget(IContentStore content) : IPullTarget
{
    public readonly ConcurrentDictionary<string, string> Chains = new(StringComparer.Ordinal);
    public readonly ConcurrentDictionary<string, byte[]> Images = new(StringComparer.Ordinal);
    public readonly ConcurrentDictionary<string, string> References = new(StringComparer.Ordinal);
    public int Unpacked;

    public IContentStore Content => content;

    public bool HasLayer(string chainId) => Chains.ContainsKey(chainId);

    public async Task<string> UnpackLayerAsync(Digest blob, long blobSize, string? parentChainId, string diffId, Action<long> onBytes, CancellationToken cancellationToken)
    {
        if (parentChainId is not null && !HasLayer(parentChainId)) throw BerthException.NotFound($"layer {parentChainId}: parent not found");
        await using var stream = content.OpenRead(blob);
        byte[] head = new byte[2];
        int read = await stream.ReadAsync(head, cancellationToken);
        stream.Position = 0;
        Stream tar = read == 2 && head[0] == 0x1f && head[1] == 0x8b ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : stream;
        var actual = await Digest.OfAsync(tar, cancellationToken);
        onBytes(blobSize);
        if (actual.ToString() != diffId) throw BerthException.Invalid($"layer content hashes to {actual}, expected {diffId}");
        string chainId = ChainIds.Next(parentChainId, diffId);
        Chains[chainId] = diffId;
        Interlocked.Increment(ref Unpacked);
        return chainId;
    }

    public bool HasImage(string imageId) => Images.ContainsKey(imageId);

    public string? ImageIdOf(ImageReference reference) => References.GetValueOrDefault(reference.ToString());

    public async Task<string> CreateImageAsync(byte[] config, CancellationToken cancellationToken)
    {
        var info = await content.WriteAsync(config, cancellationToken);
        Images[info.Digest.ToString()] = config;
        return info.Digest.ToString();
    }

    public void Tag(string imageId, ImageReference reference) => References[reference.ToString()] = imageId;
}
