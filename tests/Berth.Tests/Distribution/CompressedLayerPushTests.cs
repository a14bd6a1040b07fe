using System.IO.Compression;
using Berth.Engine.Distribution.Metadata;
using Berth.Engine.Distribution.Push;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Images;
using Berth.Tests.Layers;

namespace Berth.Tests.Distribution;

/// <summary>A layer stored as xz or bzip2 (imported or loaded so) goes to a registry as gzip of its tar.</summary>
public sealed class CompressedLayerPushTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-push-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    public async Task An_xz_or_bzip2_layer_is_pushed_as_gzip_of_its_uncompressed_tar(string compressor)
    {
        byte[] tar = new TestTar().Dir("etc").File("etc/hostname", "box\n").ToArray();
        byte[] compressed = await ExternalCompressor.CompressAsync(compressor + " -c", tar);
        var content = new FileContentStore(Path.Combine(_root, "content"));
        var stored = await content.WriteAsync(compressed, CancellationToken.None);
        var resolver = new LayerBlobResolver(content, new DistributionMetadata(Path.Combine(_root, "distribution")));

        var blob = await resolver.ResolveAsync(new PushLayer(Digest.Of(tar).ToString(), stored.Digest.ToString(), stored.Size), ociMediaTypes: false, CancellationToken.None);

        Assert.Equal(MediaTypes.DockerLayerGzip, blob.MediaType);
        Assert.NotEqual(stored.Digest, blob.Digest);
        await using var gzip = new GZipStream(content.OpenRead(blob.Digest), CompressionMode.Decompress);
        var unpacked = new MemoryStream();
        await gzip.CopyToAsync(unpacked);
        Assert.Equal(tar, unpacked.ToArray());
    }
}
