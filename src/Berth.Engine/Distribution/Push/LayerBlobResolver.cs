using System.IO.Compression;
using Berth.Engine.Distribution.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.Layers;

namespace Berth.Engine.Distribution.Push;

/// <summary>
/// Decides which blob carries a layer to a registry. A gzip or zstd blob goes as it was registered (a pulled layer
/// keeps its digest). A plain tar (or an xz or bzip2 one, which registries and clients are not asked to read) is
/// gzip-compressed once, at its first push; the compressed blob stays in the content store and the diff ID → blob
/// mapping in the metadata, so every later push sends the same bytes under the same digest (compression output is not assumed to be reproducible across runtime versions).
/// </summary>
public sealed class LayerBlobResolver(IContentStore content, DistributionMetadata metadata)
{
    /// <summary>Registry name of blobs produced locally in the metadata.</summary>
    public const string Local = "";

    public async Task<PushBlob> ResolveAsync(PushLayer layer, bool ociMediaTypes, CancellationToken cancellationToken)
    {
        var blob = Digest.Parse(layer.Blob);
        CompressionKind compression;
        await using (var stream = content.OpenRead(blob))
            compression = await Compression.DetectAsync(stream, cancellationToken);
        switch (compression)
        {
            case CompressionKind.Gzip:
                return new PushBlob(blob, layer.BlobSize, ociMediaTypes ? MediaTypes.OciLayerGzip : MediaTypes.DockerLayerGzip, layer.DiffId);
            case CompressionKind.Zstd:
                return new PushBlob(blob, layer.BlobSize, MediaTypes.OciLayerZstd, layer.DiffId);
        }
        foreach (var known in metadata.BlobsOf(layer.DiffId))
        {
            if (known.MediaType is not (MediaTypes.DockerLayerGzip or MediaTypes.OciLayerGzip)) continue;
            if (!Digest.TryParse(known.Digest, out var candidate) || content.SizeOf(candidate) != known.Size) continue;
            return new PushBlob(candidate, known.Size, ociMediaTypes ? MediaTypes.OciLayerGzip : MediaTypes.DockerLayerGzip, layer.DiffId);
        }
        var compressed = await CompressAsync(blob, cancellationToken);
        metadata.AddBlob(layer.DiffId, new BlobSource(compressed.Digest.ToString(), MediaTypes.DockerLayerGzip, compressed.Size, Local, Local));
        return new PushBlob(compressed.Digest, compressed.Size, ociMediaTypes ? MediaTypes.OciLayerGzip : MediaTypes.DockerLayerGzip, layer.DiffId);
    }

    private async Task<BlobInfo> CompressAsync(Digest stored, CancellationToken cancellationToken)
    {
        string temp = Path.Combine(metadata.TempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                // Fastest: a push is bounded by compression speed long before the network on loopback or a LAN.
                await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
                var (input, _) = await Compression.DecompressAsync(content.OpenRead(stored), leaveOpen: false, cancellationToken);
                await using (input)
                    await input.CopyToAsync(gzip, 1 << 16, cancellationToken);
            }
            await using var compressed = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await content.WriteAsync(compressed, null, null, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw BerthException.NotFound($"layer blob {stored}: not in the content store, the layer cannot be pushed");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
