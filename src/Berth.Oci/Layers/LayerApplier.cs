using Berth.Oci.Errors;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.Layers;

/// <summary>Unpacks an image layer (a tar, plain, gzip or zstd) into a directory that becomes an overlayfs lower dir.</summary>
public static class LayerApplier
{
    /// <summary>
    /// Unpacks <paramref name="layer"/> into <paramref name="targetDir"/> (created if missing) and returns its diff ID,
    /// computed while reading. On failure the directory holds a partial tree: unpack into a fresh directory and
    /// remove it when this throws. The caller keeps ownership of <paramref name="layer"/>.
    /// </summary>
    public static async Task<AppliedLayer> ApplyAsync(Stream layer, string targetDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(targetDir);
        try
        {
            var (content, _) = await Compression.DecompressAsync(layer, leaveOpen: true, cancellationToken);
            await using var digesting = new DigestingStream(content);
            var reader = new TarStreamReader(digesting);
            var extractor = new LayerExtractor(targetDir);
            while (await reader.NextAsync(cancellationToken) is { } header)
                await extractor.ExtractAsync(header, reader, cancellationToken);
            await digesting.DrainAsync(cancellationToken);
            extractor.FinishDirectoryTimes();
            return new AppliedLayer(digesting.Digest, digesting.BytesCounted, extractor.ContentSize);
        }
        catch (Exception e) when (Compression.IsCorruptInput(e))
        {
            throw BerthException.Invalid($"Error processing tar file: {e.Message}");
        }
        catch (PosixException e) when (e.Errno is LibC.ENAMETOOLONG or LibC.EINVAL)
        {
            // Names the kernel will not take are the archive's fault.
            throw BerthException.Invalid($"Error processing tar file: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Internal($"Error processing tar file: {e.Message}", e);
        }
    }
}
