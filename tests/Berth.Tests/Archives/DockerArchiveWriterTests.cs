using System.Formats.Tar;
using Berth.Oci.Archives;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Tests.Layers;
using static Berth.Tests.Archives.ArchiveFixtures;

namespace Berth.Tests.Archives;

public sealed class DockerArchiveWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly byte[] _base = Layer("passwd", "root:x:0:0::/root:/bin/sh\n");
    private readonly byte[] _top = Layer("hostname", "box\n");

    public void Dispose() => _dir.Dispose();

    private static ArchiveLayerSource Source(byte[] layer, bool announceSize) => new(
        Digest.Of(layer),
        _ => Task.FromResult<Stream>(new UnseekableStream(layer)),
        announceSize ? layer.Length : null);

    [Fact]
    public async Task WrittenArchiveReadsBackWithEachLayerOnce()
    {
        byte[] baseConfig = Config(_base), topConfig = Config(_base, _top);
        var images = new[]
        {
            new ArchiveImageSource(baseConfig, ["base:1"], [Source(_base, announceSize: true)]),
            // Unknown size and no seeking: the writer spools the layer to learn its size.
            new ArchiveImageSource(topConfig, ["top:1", "registry.local:5000/team/top:2"], [Source(_base, false), Source(_top, false)]),
            new ArchiveImageSource(topConfig, [], [Source(_base, false), Source(_top, false)]),
        };
        var output = new MemoryStream();
        await DockerArchiveWriter.WriteAsync(output, images, CancellationToken.None);
        byte[] archive = output.ToArray();

        var names = EntryNames(archive);
        Assert.Single(names, n => n == "blobs/sha256/" + Hex(_base));
        Assert.Contains("oci-layout", names);
        Assert.Contains("index.json", names);
        Assert.Contains("repositories", names);

        var read = await DockerArchiveReader.ReadAsync(new MemoryStream(archive), _dir.Root, CancellationToken.None);
        Assert.Equal(3, read.Images.Count);
        Assert.Equal(["base:1"], read.Images[0].RepoTags);
        Assert.Equal(["top:1", "registry.local:5000/team/top:2"], read.Images[1].RepoTags);
        Assert.Empty(read.Images[2].RepoTags);
        Assert.Equal(topConfig, read.Images[1].ConfigJson);
        Assert.Equal(_top, File.ReadAllBytes(read.Images[1].LayerPaths[1]));
    }

    [Fact]
    public async Task OciIndexOfAWrittenArchiveIsReadable()
    {
        var images = new[] { new ArchiveImageSource(Config(_base), ["busybox:latest"], [Source(_base, true)]) };
        var output = new MemoryStream();
        await DockerArchiveWriter.WriteAsync(output, images, CancellationToken.None);

        // Drop manifest.json: what remains is a plain OCI image layout.
        var withoutManifest = new MemoryStream();
        using (var reader = new TarReader(new MemoryStream(output.ToArray())))
        using (var writer = new TarWriter(withoutManifest, leaveOpen: true))
            while (reader.GetNextEntry() is { } entry)
                if (entry.Name != "manifest.json") writer.WriteEntry(entry);

        var read = await DockerArchiveReader.ReadAsync(new MemoryStream(withoutManifest.ToArray()), _dir.Root, CancellationToken.None);
        Assert.Equal(["busybox:latest"], Assert.Single(read.Images).RepoTags);
    }

    [Fact]
    public async Task LayerNotMatchingItsDiffIdFails()
    {
        var wrong = new ArchiveLayerSource(Digest.Of(_top), _ => Task.FromResult<Stream>(new MemoryStream(_base)));
        var error = await Assert.ThrowsAsync<BerthException>(() =>
            DockerArchiveWriter.WriteAsync(new MemoryStream(), [new ArchiveImageSource(Config(_top), [], [wrong])], CancellationToken.None));
        Assert.Equal(ErrorKind.Internal, error.Kind);
    }

    private static List<string> EntryNames(byte[] archive)
    {
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
