using System.IO.Compression;
using SharpCompress.Common;
using SharpCompress.Compressors.BZip2;
using ZstdSharp;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Berth.Oci.Layers;

/// <summary>
/// Recognizes an archive's compression by its magic bytes, as Docker does for layers, image archives, imports, build
/// contexts and ADD (media types and file names are not trusted for it), and undoes it.
/// </summary>
public static class Compression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b, 0x08];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];
    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;

    /// <summary>How many leading bytes <see cref="Detect"/> needs to tell every kind apart.</summary>
    public static int HeadLength => XzMagic.Length;

    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(GzipMagic)) return CompressionKind.Gzip;
        if (head.StartsWith(ZstdMagic)) return CompressionKind.Zstd;
        if (head.StartsWith(XzMagic)) return CompressionKind.Xz;
        if (head.StartsWith(Bzip2Magic)) return CompressionKind.Bzip2;
        return CompressionKind.None;
    }

    /// <summary>Reads the first bytes of <paramref name="input"/> (from its current position) to detect its compression.</summary>
    public static async Task<CompressionKind> DetectAsync(Stream input, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        int read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return Detect(head.AsSpan(0, read));
    }

    /// <summary>
    /// Reads the first bytes of <paramref name="input"/> to detect its compression, and returns a stream of its
    /// uncompressed content. Disposing the result disposes <paramref name="input"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static async Task<(Stream Content, CompressionKind Kind)> DecompressAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        int read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var kind = Detect(head.AsSpan(0, read));
        Stream whole = new PrefixedStream(head.AsMemory(0, read), input, leaveOpen);
        return kind switch
        {
            CompressionKind.Gzip => (new GZipStream(whole, CompressionMode.Decompress, leaveOpen: false), kind),
            CompressionKind.Zstd => (new DecompressionStream(whole, leaveOpen: false), kind),
            CompressionKind.Xz => (new XzDecompressionStream(whole), kind),
            // Concatenated streams are decoded, as pbzip2 writes them and bzip2 -d reads them.
            CompressionKind.Bzip2 => (await BZip2Stream.CreateAsync(new ReadAheadStream(whole), SharpCompressionMode.Decompress,
                decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false, cancellationToken), kind),
            _ => (whole, kind),
        };
    }

    /// <summary>
    /// True for the exceptions decompressors throw on corrupt or truncated input, which are the input's fault, not
    /// ours (the tar reader reports its own truncation as a BerthException, so an EndOfStreamException is theirs).
    /// </summary>
    public static bool IsCorruptInput(Exception exception) =>
        exception is InvalidDataException or ZstdException or EndOfStreamException or SharpCompressException;
}
