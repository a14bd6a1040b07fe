using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Oci.Digests;

namespace Berth.Registry.Tests.Infrastructure;

/// <summary>A test image written as an OCI image layout (<c>oci:DIR:TAG</c> for skopeo): gzip layers of random files.</summary>
public sealed class OciLayout
{
    public required string Directory { get; init; }
    public required string Tag { get; init; }
    public required Digest ManifestDigest { get; init; }
    public required byte[] Manifest { get; init; }
    public required Digest ConfigDigest { get; init; }
    public required IReadOnlyList<(Digest Digest, long Size)> Layers { get; init; }

    public string SkopeoReference => $"oci:{Directory}:{Tag}";

    public static OciLayout Create(string directory, IReadOnlyList<int> layerSizes, int seed, string tag = "latest")
    {
        string blobs = Path.Combine(directory, "blobs", "sha256");
        System.IO.Directory.CreateDirectory(blobs);
        var random = new Random(seed);
        var layers = new List<(Digest, long)>();
        var diffIds = new List<string>();
        for (int i = 0; i < layerSizes.Count; i++)
        {
            byte[] content = new byte[layerSizes[i]];
            random.NextBytes(content);
            using var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"file-{seed}-{i}.bin") { DataStream = new MemoryStream(content), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
                writer.WriteEntry(entry);
            }
            diffIds.Add(Digest.Of(tar.ToArray()).ToString());
            using var gz = new MemoryStream();
            using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar.ToArray());
            layers.Add((Write(blobs, gz.ToArray()), gz.Length));
        }
        string config = $$$"""{"architecture":"amd64","os":"linux","config":{"Env":["SEED={{{seed}}}"]},"rootfs":{"type":"layers","diff_ids":[{{{string.Join(",", diffIds.Select(d => $"\"{d}\""))}}}]}}""";
        byte[] configBytes = Encoding.UTF8.GetBytes(config);
        var configDigest = Write(blobs, configBytes);
        string layerJson = string.Join(",", layers.Select(l => $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{l.Item1}}","size":{{l.Item2}}}"""));
        byte[] manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{configBytes.Length}}},"layers":[{{layerJson}}]}""");
        var manifestDigest = Write(blobs, manifest);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(directory, "index.json"),
            $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifest.Length}}},"annotations":{"org.opencontainers.image.ref.name":"{{{tag}}}"}}]}""");
        return new OciLayout { Directory = directory, Tag = tag, ManifestDigest = manifestDigest, Manifest = manifest, ConfigDigest = configDigest, Layers = layers };
    }

    private static Digest Write(string blobs, byte[] content)
    {
        var digest = Digest.Of(content);
        File.WriteAllBytes(Path.Combine(blobs, digest.Hex), content);
        return digest;
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
