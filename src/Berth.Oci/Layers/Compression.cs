using System.IO.Compression;
using Berth.Oci.Errors;
using ZstdSharp;

namespace Berth.Oci.Layers;

/// <summary>Recognizes a layer's compression by its magic bytes, as Docker does (media types are not trusted for it).</summary>
public static class Compression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b, 0x08];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];
    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;

    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(GzipMagic)) return CompressionKind.Gzip;
        if (head.StartsWith(ZstdMagic)) return CompressionKind.Zstd;
        if (head.StartsWith(XzMagic)) throw BerthException.NotImplemented("layer compressed with xz: only gzip, zstd and uncompressed layers are supported");
        if (head.StartsWith(Bzip2Magic)) throw BerthException.NotImplemented("layer compressed with bzip2: only gzip, zstd and uncompressed layers are supported");
        return CompressionKind.None;
    }

    /// <summary>
    /// Reads the first bytes of <paramref name="input"/> to detect its compression, and returns a stream of its
    /// uncompressed content. Disposing the result disposes <paramref name="input"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static async Task<(Stream Content, CompressionKind Kind)> DecompressAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        var head = new byte[XzMagic.Length];
        int read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var kind = Detect(head.AsSpan(0, read));
        Stream whole = new PrefixedStream(head.AsMemory(0, read), input, leaveOpen);
        return kind switch
        {
            CompressionKind.Gzip => (new GZipStream(whole, CompressionMode.Decompress, leaveOpen: false), kind),
            CompressionKind.Zstd => (new DecompressionStream(whole, leaveOpen: false), kind),
            _ => (whole, kind),
        };
    }

    /// <summary>
    /// True for the exceptions decompressors throw on corrupt or truncated input, which are the input's fault, not
    /// ours (the tar reader reports its own truncation as a BerthException, so an EndOfStreamException is theirs).
    /// </summary>
    public static bool IsCorruptInput(Exception exception) => exception is InvalidDataException or ZstdException or EndOfStreamException;
}
