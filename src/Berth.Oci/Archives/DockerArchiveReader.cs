using System.Text.Json;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Oci.Archives;

/// <summary>
/// Reads a <c>docker save</c> archive (<c>docker load</c>): Docker's manifest.json layout, whether its paths point
/// at legacy <c>&lt;id&gt;/layer.tar</c> files or into OCI <c>blobs/</c> (Docker 25+), an OCI image layout with only
/// index.json, and archives that are themselves or whose layers are gzip or zstd compressed.
/// </summary>
public static class DockerArchiveReader
{
    /// <summary>
    /// Unpacks <paramref name="archive"/> into <paramref name="scratchDir"/> (created, and which must be empty) and
    /// returns its images with every layer checked against the config's diff IDs. On failure the scratch directory
    /// is emptied again and nothing is returned; on success the caller removes it once the layers are applied.
    /// </summary>
    public static async Task<DockerArchive> ReadAsync(Stream archive, string scratchDir, CancellationToken cancellationToken)
    {
        scratchDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(scratchDir));
        Directory.CreateDirectory(scratchDir);
        if (Directory.EnumerateFileSystemEntries(scratchDir).Any())
            throw BerthException.Invalid($"scratch directory \"{scratchDir}\": not empty");
        try
        {
            var extractor = new ArchiveExtractor(scratchDir);
            var (content, _) = await Compression.DecompressAsync(archive, leaveOpen: true, cancellationToken);
            await using (content)
                await extractor.ExtractAsync(content, cancellationToken);
            var reader = new ArchiveContents(scratchDir, extractor.FileDigests);
            // Docker's manifest.json is preferred: it carries the tags as Docker shows them.
            var images = reader.Has("manifest.json") || !reader.Has("index.json")
                ? await reader.ReadDockerManifestAsync(cancellationToken)
                : await reader.ReadOciIndexAsync(cancellationToken);
            return new DockerArchive(images);
        }
        catch (Exception e)
        {
            EmptyDirectory(scratchDir);
            if (Compression.IsCorruptInput(e)) throw BerthException.Invalid($"Error processing tar file: {e.Message}");
            if (e is JsonException) throw BerthException.Invalid($"invalid image archive: {e.Message}");
            if (e is IOException or UnauthorizedAccessException) throw BerthException.Internal($"reading image archive: {e.Message}", e);
            throw;
        }
    }

    private static void EmptyDirectory(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo { LinkTarget: null } dir) dir.Delete(recursive: true);
            else entry.Delete();
        }
    }
}
