using System.IO.Compression;
using Berth.Oci.Digests;
using Berth.Oci.Layers;
using Berth.Oci.Native;

namespace Berth.Tests.Layers;

public sealed class LayerApplierTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<AppliedLayer> Apply(TestTar tar) => LayerApplier.ApplyAsync(tar.ToStream(), _dir.Root, CancellationToken.None);

    [Fact]
    public async Task DiffIdIsTheSha256OfTheUncompressedTarWhateverTheCompression()
    {
        var tar = new TestTar().Dir("etc").File("etc/hostname", "box\n").File("big", new string('z', 100_000));
        byte[] plain = tar.ToArray();
        var expected = Digest.Of(plain);

        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
        var zstd = new ZstdSharp.Compressor().Wrap(plain).ToArray();

        foreach (var layer in new[] { plain, gzipped.ToArray(), zstd })
        {
            using var dir = new TempDir();
            var applied = await LayerApplier.ApplyAsync(new MemoryStream(layer), dir.Root, CancellationToken.None);
            Assert.Equal(expected, applied.DiffId);
            Assert.Equal(plain.Length, applied.UncompressedSize);
            Assert.Equal(100_004, applied.ContentSize);
            Assert.Equal("box\n", File.ReadAllText(dir["etc/hostname"]));
        }
    }

    [Fact]
    public async Task MissingParentsAreCreated0755()
    {
        await Apply(new TestTar().File("a/b/c", "x"));
        Assert.Equal(0x1ed, PosixFiles.Lstat(_dir["a"]).Permissions);
        Assert.Equal(0x1ed, PosixFiles.Lstat(_dir["a/b"]).Permissions);
    }

    [Fact]
    public async Task ModesIncludingSpecialBitsAndTimesAreApplied()
    {
        await Apply(new TestTar()
            .Dir("tmp", (UnixFileMode)0x3ff) // 01777
            .File("bin/su", "x", (UnixFileMode)0x9ed) // 04755
            .File("tmp/f", "y", (UnixFileMode)0x180));
        Assert.Equal(0x3ff, PosixFiles.Lstat(_dir["tmp"]).Permissions);
        Assert.Equal(0x9ed, PosixFiles.Lstat(_dir["bin/su"]).Permissions);
        Assert.Equal(0x180, PosixFiles.Lstat(_dir["tmp/f"]).Permissions);
        long expected = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds();
        // Directory times are set after their contents, so creating tmp/f did not disturb tmp's.
        Assert.Equal(expected, PosixFiles.Lstat(_dir["tmp"]).MTimeSeconds);
        Assert.Equal(expected, PosixFiles.Lstat(_dir["tmp/f"]).MTimeSeconds);
    }

    [Fact]
    public async Task RootEntryLeavesTheLayerDirectoryAlone()
    {
        PosixFiles.ChangeMode(_dir.Root, 0x1ed);
        await Apply(new TestTar().Dir("./", (UnixFileMode)0x1c0).File("./f", "x"));
        Assert.Equal(0x1ed, PosixFiles.Lstat(_dir.Root).Permissions);
        Assert.True(File.Exists(_dir["f"]));
    }

    [Fact]
    public async Task LaterEntriesReplaceEarlierOnesOfAnotherKind()
    {
        await Apply(new TestTar()
            .File("was-file", "x").Dir("was-file").File("was-file/inner", "y")
            .Dir("was-dir").File("was-dir/inner", "z").File("was-dir", "now a file")
            .File("parent", "x").File("parent/child", "c"));
        Assert.Equal("y", File.ReadAllText(_dir["was-file/inner"]));
        Assert.Equal("now a file", File.ReadAllText(_dir["was-dir"]));
        Assert.Equal("c", File.ReadAllText(_dir["parent/child"]));
    }

    [Fact]
    public async Task DirectoryOverDirectoryMerges()
    {
        await Apply(new TestTar().Dir("d").File("d/a", "a").Dir("d", (UnixFileMode)0x1c0).File("d/b", "b"));
        Assert.True(File.Exists(_dir["d/a"]) && File.Exists(_dir["d/b"]));
        Assert.Equal(0x1c0, PosixFiles.Lstat(_dir["d"]).Permissions);
    }

    [Fact]
    public async Task HardLinksShareTheInodeAndFifosAreMade()
    {
        await Apply(new TestTar().File("a", "same").HardLink("b", "a").HardLink("c", "/a").Fifo("pipe"));
        var a = PosixFiles.Lstat(_dir["a"]);
        Assert.Equal(a.Inode, PosixFiles.Lstat(_dir["b"]).Inode);
        Assert.Equal(a.Inode, PosixFiles.Lstat(_dir["c"]).Inode);
        Assert.Equal(3u, a.NLink);
        Assert.Equal(FileKind.Fifo, PosixFiles.Lstat(_dir["pipe"]).Kind);
    }

    [Fact]
    public async Task AufsMetadataIsSkipped()
    {
        await Apply(new TestTar().Dir(".wh..wh.plnk").File(".wh..wh.plnk/123.456", "x").File("keep", "k"));
        Assert.False(Directory.Exists(_dir[".wh..wh.plnk"]));
        Assert.True(File.Exists(_dir["keep"]));
    }

    [Fact]
    public async Task TruncatedLayerIsInvalid()
    {
        byte[] tar = new TestTar().File("f", new string('x', 5000)).ToArray();
        var error = await Assert.ThrowsAsync<Berth.Oci.Errors.BerthException>(() =>
            LayerApplier.ApplyAsync(new MemoryStream(tar[..2000]), _dir.Root, CancellationToken.None));
        Assert.Equal("Error processing tar file: unexpected EOF", error.Message);
    }

    [Fact]
    public async Task TruncatedCompressedLayersAreInvalid()
    {
        byte[] plain = new TestTar().File("f", string.Concat(Enumerable.Range(0, 20_000).Select(i => i.ToString()))).ToArray();
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
        byte[] zstd = new ZstdSharp.Compressor().Wrap(plain).ToArray();
        foreach (var compressed in new[] { gzipped.ToArray(), zstd })
        {
            using var dir = new TempDir();
            var error = await Assert.ThrowsAsync<Berth.Oci.Errors.BerthException>(() =>
                LayerApplier.ApplyAsync(new MemoryStream(compressed[..(compressed.Length / 2)]), dir.Root, CancellationToken.None));
            Assert.Equal(Berth.Oci.Errors.ErrorKind.Invalid, error.Kind);
        }
    }

    [Fact]
    public async Task CorruptGzipIsInvalid()
    {
        byte[] junk = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var error = await Assert.ThrowsAsync<Berth.Oci.Errors.BerthException>(() =>
            LayerApplier.ApplyAsync(new MemoryStream(junk), _dir.Root, CancellationToken.None));
        Assert.Equal(Berth.Oci.Errors.ErrorKind.Invalid, error.Kind);
    }
}
