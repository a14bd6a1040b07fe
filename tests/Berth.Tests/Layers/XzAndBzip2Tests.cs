using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using OciCompression = Berth.Oci.Layers.Compression;

namespace Berth.Tests.Layers;

/// <summary>xz and bzip2 archives, made by the xz and bzip2 programs, read back through our one decompressor.</summary>
public sealed class XzAndBzip2Tests
{
    private static readonly byte[] Tar = new TestTar().Dir("etc").File("etc/hostname", "box\n")
        .File("big", new string('z', 200_000)).File("noise", RandomBytes(300_000)).ToArray();

    /// <summary>A program and its options, given as one command line.</summary>
    public static TheoryData<string> Compressors =>
    [
        "xz -c",
        "xz -c -9e -C sha256",
        "xz -c -T2 --block-size=65536", // many blocks
        "bzip2 -c",
        "bzip2 -c -1", // 100 kB blocks: several of them
    ];

    [Theory]
    [MemberData(nameof(Compressors))]
    public async Task A_compressed_tar_decompresses_to_the_same_bytes_without_synchronous_reads(string command)
    {
        byte[] compressed = await ExternalCompressor.CompressAsync(command, Tar);
        // A request body refuses synchronous reads: the decoders must read their input asynchronously only.
        var source = new AsyncOnlyStream(new MemoryStream(compressed));

        var (content, detected) = await OciCompression.DecompressAsync(source, leaveOpen: true, CancellationToken.None);
        var output = new MemoryStream();
        await using (content) await content.CopyToAsync(output);

        Assert.Equal(command.StartsWith("xz") ? CompressionKind.Xz : CompressionKind.Bzip2, detected);
        Assert.Equal(Tar, output.ToArray());
        Assert.False(source.Disposed, "leaveOpen keeps the caller's stream open");
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public async Task A_compressed_layer_has_the_diff_id_of_its_tar(string command)
    {
        byte[] compressed = await ExternalCompressor.CompressAsync(command, Tar);
        using var dir = new TempDir();

        var applied = await LayerApplier.ApplyAsync(new MemoryStream(compressed), dir.Root, CancellationToken.None);

        Assert.Equal(Digest.Of(Tar), applied.DiffId);
        Assert.Equal("box\n", File.ReadAllText(dir["etc/hostname"]));
    }

    [Theory]
    [InlineData("xz -c")]
    [InlineData("bzip2 -c")]
    public async Task Disposing_the_content_disposes_the_input_unless_left_open(string command)
    {
        byte[] compressed = await ExternalCompressor.CompressAsync(command, Tar);
        foreach (bool leaveOpen in new[] { false, true })
        {
            var source = new AsyncOnlyStream(new MemoryStream(compressed));
            var (content, _) = await OciCompression.DecompressAsync(source, leaveOpen, CancellationToken.None);
            await content.CopyToAsync(Stream.Null);
            await content.DisposeAsync();
            Assert.Equal(!leaveOpen, source.Disposed);
        }
    }

    [Fact]
    public async Task Concatenated_bzip2_streams_decompress_as_one()
    {
        byte[] half = Tar[..(Tar.Length / 2)];
        byte[] compressed = [.. await ExternalCompressor.CompressAsync("bzip2 -c", half), .. await ExternalCompressor.CompressAsync("bzip2 -c", Tar[half.Length..])];

        var (content, _) = await OciCompression.DecompressAsync(new MemoryStream(compressed), leaveOpen: false, CancellationToken.None);
        var output = new MemoryStream();
        await using (content) await content.CopyToAsync(output);

        Assert.Equal(Tar, output.ToArray());
    }

    [Theory]
    [InlineData("xz -c")]
    [InlineData("bzip2 -c")]
    public async Task A_corrupt_or_truncated_layer_is_the_archives_fault(string command)
    {
        byte[] compressed = await ExternalCompressor.CompressAsync(command, Tar);
        byte[] corrupt = (byte[])compressed.Clone();
        for (int i = 200; i < 300; i++) corrupt[i] ^= 0x55;

        foreach (var layer in new[] { corrupt, compressed[..(compressed.Length / 2)] })
        {
            using var dir = new TempDir();
            var error = await Assert.ThrowsAsync<BerthException>(() => LayerApplier.ApplyAsync(new MemoryStream(layer), dir.Root, CancellationToken.None));
            Assert.Equal(ErrorKind.Invalid, error.Kind);
            Assert.StartsWith("Error processing tar file: ", error.Message);
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A forward-only stream that fails synchronous reads, as Kestrel's request body does by default.</summary>
    private sealed class AsyncOnlyStream(Stream inner) : Stream
    {
        public bool Disposed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous read");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);
        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
