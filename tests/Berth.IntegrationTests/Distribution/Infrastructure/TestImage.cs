using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Berth.Engine.Distribution.Push;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Images;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>A layer made in the test: its tar (diff ID) and the blob that carries it (gzip or the tar itself).</summary>
public sealed record TestLayer(byte[] Tar, byte[] Blob, string DiffId, string BlobDigest);

/// <summary>An image made in the test: a config and one or more layers, each with a file of the given content.</summary>
public sealed record TestImage(byte[] Config, IReadOnlyList<TestLayer> Layers)
{
    public string Id => Digest.Of(Config).ToString();

    public static TestLayer Layer(string fileName, byte[] content, bool gzip = true)
    {
        var tarStream = new MemoryStream();
        using (var writer = new TarWriter(tarStream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                DataStream = new MemoryStream(content),
                ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            writer.WriteEntry(entry);
        }
        byte[] tar = tarStream.ToArray();
        byte[] blob = tar;
        if (gzip)
        {
            var gz = new MemoryStream();
            using (var compressor = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) compressor.Write(tar);
            blob = gz.ToArray();
        }
        return new TestLayer(tar, blob, Digest.Of(tar).ToString(), Digest.Of(blob).ToString());
    }

    public static TestLayer RandomLayer(string fileName, int size, bool gzip = true, int seed = 1)
    {
        byte[] content = new byte[size];
        new Random(seed).NextBytes(content);
        return Layer(fileName, content, gzip);
    }

    public static TestImage Create(params TestLayer[] layers)
    {
        var config = new ImageConfig
        {
            Architecture = Berth.Engine.Distribution.Manifests.PlatformSpec.Host.Architecture,
            Os = "linux",
            Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Config = new ImageRuntimeConfig { Cmd = ["/bin/sh"], Env = ["PATH=/bin"] },
            RootFs = new ImageRootFs { DiffIds = layers.Select(l => l.DiffId).ToList() },
        };
        return new TestImage(JsonSerializer.SerializeToUtf8Bytes(config, OciImageJsonContext.Default.ImageConfig), layers);
    }

    /// <summary>Puts the layer blobs in a content store, as a daemon holds them after build or pull.</summary>
    public async Task<PushImage> StoreAsync(IContentStore content)
    {
        var layers = new List<PushLayer>();
        foreach (var layer in Layers)
        {
            var info = await content.WriteAsync(layer.Blob, CancellationToken.None);
            layers.Add(new PushLayer(layer.DiffId, info.Digest.ToString(), info.Size));
        }
        return new PushImage(Id, Config, layers);
    }

    public string ConfigText => Encoding.UTF8.GetString(Config);
}
