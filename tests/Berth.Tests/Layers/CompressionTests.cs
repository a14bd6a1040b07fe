using System.IO.Compression;
using Berth.Oci.Layers;
using OciCompression = Berth.Oci.Layers.Compression;

namespace Berth.Tests.Layers;

public sealed class CompressionTests
{
    [Fact]
    public void RecognizesMagicBytes()
    {
        Assert.Equal(CompressionKind.Gzip, OciCompression.Detect([0x1f, 0x8b, 0x08, 0x00]));
        Assert.Equal(CompressionKind.Zstd, OciCompression.Detect([0x28, 0xb5, 0x2f, 0xfd, 0x00]));
        Assert.Equal(CompressionKind.None, OciCompression.Detect("etc/"u8));
        Assert.Equal(CompressionKind.None, OciCompression.Detect([]));
        Assert.Equal(CompressionKind.Xz, OciCompression.Detect([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]));
        Assert.Equal(CompressionKind.Bzip2, OciCompression.Detect("BZh91AY&SY"u8));
        Assert.Equal(CompressionKind.None, OciCompression.Detect([0xfd, 0x37, 0x7a, 0x58])); // xz's magic cut short
    }

    [Fact]
    public async Task DecompressesWhatItDetects()
    {
        byte[] plain = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);

        foreach (var (input, kind) in new[] { (plain, CompressionKind.None), (gzipped.ToArray(), CompressionKind.Gzip), (new ZstdSharp.Compressor().Wrap(plain).ToArray(), CompressionKind.Zstd) })
        {
            var source = new MemoryStream(input);
            var (content, detected) = await OciCompression.DecompressAsync(source, leaveOpen: true, CancellationToken.None);
            var output = new MemoryStream();
            await using (content) await content.CopyToAsync(output);
            Assert.Equal(kind, detected);
            Assert.Equal(plain, output.ToArray());
            Assert.True(source.CanRead, "leaveOpen keeps the caller's stream open");
        }
    }
}
