using System.IO.Compression;
using System.Text;
using Berth.Oci.Archives;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Tests.Layers;
using static Berth.Tests.Archives.ArchiveFixtures;

namespace Berth.Tests.Archives;

public sealed class DockerArchiveReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly byte[] _base = Layer("passwd", "root:x:0:0::/root:/bin/sh\n");
    private readonly byte[] _top = Layer("hostname", "box\n");

    public void Dispose() => _dir.Dispose();

    private Task<DockerArchive> Read(byte[] archive) => DockerArchiveReader.ReadAsync(new MemoryStream(archive), _dir.Root, CancellationToken.None);

    private async Task<BerthException> Refused(byte[] archive)
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => Read(archive));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Root));
        Assert.True(_dir.NothingEscaped);
        return error;
    }

    [Fact]
    public async Task ReadsTheLegacyLayout()
    {
        byte[] config = Config(_base, _top);
        var archive = await Read(Legacy(config, ["busybox:latest", "busybox:1"], _base, _top).ToArray());

        var image = Assert.Single(archive.Images);
        Assert.Equal(config, image.ConfigJson);
        Assert.Equal(Digest.Of(config), image.ConfigDigest);
        Assert.Equal(["busybox:latest", "busybox:1"], image.RepoTags);
        Assert.Equal([Digest.Of(_base), Digest.Of(_top)], image.DiffIds);
        Assert.Equal(_base, File.ReadAllBytes(image.LayerPaths[0]));
        Assert.Equal(_top, File.ReadAllBytes(image.LayerPaths[1]));
        Assert.All(image.LayerPaths, p => Assert.StartsWith(_dir.Root + "/", p));
    }

    [Fact]
    public async Task FollowsLayerSymlinksInsideTheArchive()
    {
        // dockerd 20.10 writes a repeated layer once and links the other directory's layer.tar to it.
        byte[] config = Config(_base);
        var tar = new TestTar().Dir("real").File("real/layer.tar", _base).Dir("dup").Symlink("dup/layer.tar", "../real/layer.tar")
            .File("c.json", config).File("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"dup/layer.tar\"]}]");

        var image = Assert.Single((await Read(tar.ToArray())).Images);
        Assert.Equal(_dir["real/layer.tar"], image.LayerPaths[0]);
        Assert.Empty(image.RepoTags);
    }

    [Fact]
    public async Task AcceptsCompressedLayersAndCompressedArchives()
    {
        byte[] config = Config(_base);
        byte[] gzippedLayer = Gzip(_base);
        var tar = new TestTar().File("l.tar.gz", gzippedLayer).File("c.json", config)
            .File("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l.tar.gz\"]}]");

        var image = Assert.Single((await Read(Gzip(tar.ToArray()))).Images);
        Assert.Equal(Digest.Of(_base), image.DiffIds[0]);
        Assert.Equal(gzippedLayer, File.ReadAllBytes(image.LayerPaths[0]));
    }

    [Fact]
    public async Task ReadsAnOciLayoutWithoutManifestJson()
    {
        byte[] config = Config(_base);
        string manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{Digest.Of(config)}\",\"size\":{config.Length}}},\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{Digest.Of(_base)}\",\"size\":{_base.Length}}}]}}";
        byte[] manifestBytes = Encoding.UTF8.GetBytes(manifest);
        string index = $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{Digest.Of(manifestBytes)}\",\"size\":{manifestBytes.Length},\"annotations\":{{\"io.containerd.image.name\":\"docker.io/library/busybox:latest\",\"org.opencontainers.image.ref.name\":\"latest\"}}}}]}}";
        var tar = new TestTar().Dir("blobs").Dir("blobs/sha256")
            .File("blobs/sha256/" + Hex(_base), _base).File("blobs/sha256/" + Hex(config), config).File("blobs/sha256/" + Hex(manifestBytes), manifestBytes)
            .File("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}").File("index.json", index);

        var image = Assert.Single((await Read(tar.ToArray())).Images);
        Assert.Equal(["busybox:latest"], image.RepoTags);
        Assert.Equal(Digest.Of(config), image.ConfigDigest);
    }

    [Fact]
    public async Task MissingManifestIsReportedLikeDocker()
    {
        var error = await Refused(new TestTar().File("foo", "hi").ToArray());
        Assert.Equal("open manifest.json: no such file or directory", error.Message);
    }

    [Fact]
    public async Task TruncatedArchiveLeavesNothing()
    {
        byte[] archive = Legacy(Config(_base), ["x:1"], _base).ToArray();
        var error = await Refused(archive[..(archive.Length / 2)]);
        Assert.Equal("Error processing tar file: unexpected EOF", error.Message);
    }

    [Fact]
    public async Task DiffIdMismatchIsReportedLikeDocker()
    {
        var error = await Refused(Legacy(Config(_top), ["x:1"], _base).ToArray());
        Assert.Equal($"invalid diffID for layer 0: expected \"{Digest.Of(_top)}\", got \"{Digest.Of(_base)}\"", error.Message);
    }

    [Fact]
    public async Task LayerCountMismatchIsReportedLikeDocker()
    {
        var error = await Refused(Legacy(Config(_base, _top), ["x:1"], _base).ToArray());
        Assert.Equal("invalid manifest, layers length mismatch: expected 1, got 2", error.Message);
    }

    [Theory]
    [InlineData("../sentinel/evil")]
    [InlineData("/abs/evil")]
    [InlineData("a/../../x")]
    public async Task EscapingEntriesAreRefused(string name)
    {
        var error = await Refused(new TestTar().File(name, "x").ToArray());
        Assert.StartsWith("invalid tar header: ", error.Message);
    }

    [Fact]
    public async Task EntriesThroughSymlinksAreRefused()
    {
        var error = await Refused(new TestTar().Symlink("a", _dir.Sentinel).File("a/evil", "x").ToArray());
        Assert.Equal("invalid tar header: \"a/evil\" goes through symlink \"a\"", error.Message);
    }

    [Fact]
    public async Task HardLinksOutsideAreRefused()
    {
        await Refused(new TestTar().HardLink("h", "../../etc/passwd").ToArray());
    }

    [Fact]
    public async Task ManifestPathsCannotReachOutsideThroughSymlinks()
    {
        // "host" points at /, but manifest paths resolve as in a chroot: host/etc/passwd is <scratch>/etc/passwd.
        var tar = new TestTar().Symlink("host", "/").File("manifest.json", "[{\"Config\":\"host/etc/passwd\",\"Layers\":[]}]");
        var error = await Refused(tar.ToArray());
        Assert.Equal("open host/etc/passwd: no such file or directory", error.Message);
    }

    [Fact]
    public async Task ScratchDirectoryMustBeEmpty()
    {
        File.WriteAllText(_dir["left-over"], "x");
        var error = await Assert.ThrowsAsync<BerthException>(() => Read(Legacy(Config(_base), [], _base).ToArray()));
        Assert.Contains("not empty", error.Message);
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }
}
