using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.Archives;

/// <summary>
/// Unpacks an image archive into a scratch directory, refusing any entry that would land outside it, and hashes
/// every regular file on the way so layers whose bytes are their diff ID need no second read.
/// </summary>
internal sealed class ArchiveExtractor(string scratchDir)
{
    private const string RootDescription = "the archive root";

    private readonly RootedTree _tree = new(scratchDir, RootDescription);

    /// <summary>sha256 of each regular file written, by path relative to the scratch directory.</summary>
    public Dictionary<string, Digest> FileDigests { get; } = new(StringComparer.Ordinal);

    public async Task ExtractAsync(Stream archive, CancellationToken cancellationToken)
    {
        var reader = new TarStreamReader(archive);
        while (await reader.NextAsync(cancellationToken) is { } header)
        {
            if (header.Name.StartsWith('/'))
                throw BerthException.Invalid($"invalid tar header: {TarSafety.Quote(header.Name)} is outside of {RootDescription}");
            string relative = TarSafety.CleanName(header.Name, RootDescription);
            if (relative.Length == 0) continue;
            string path = _tree.PrepareParents(relative, header.Name);
            var existing = PosixFiles.TryLstat(path);
            if (existing is { } found && !(found.IsDirectory && header.Type == TarEntryType.Directory))
            {
                _tree.Remove(relative, found);
                FileDigests.Remove(relative);
            }
            switch (header.Type)
            {
                case TarEntryType.Directory:
                    if (existing is not { IsDirectory: true }) Directory.CreateDirectory(path);
                    _tree.RememberDirectory(relative);
                    break;
                case TarEntryType.RegularFile:
                    FileDigests[relative] = await WriteFileAsync(path, reader, cancellationToken);
                    break;
                case TarEntryType.Symlink:
                    // Written as is; paths are later resolved within the scratch directory (ScopedPath).
                    PosixFiles.CreateSymlink(header.LinkName, path);
                    break;
                case TarEntryType.HardLink:
                    string target = _tree.ResolveLinkTarget(header.LinkName, header.Name);
                    PosixFiles.CreateHardLink(target, path);
                    string targetRelative = TarSafety.CleanName(header.LinkName, RootDescription);
                    if (FileDigests.TryGetValue(targetRelative, out var digest)) FileDigests[relative] = digest;
                    break;
                default:
                    // Devices and fifos mean nothing in an image archive; Docker's loader never reads them either.
                    break;
            }
        }
    }

    private static async Task<Digest> WriteFileAsync(string path, TarStreamReader reader, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        await using var file = new FileStream(path, options);
        await using var digesting = new DigestingStream(file, leaveOpen: true);
        await reader.CopyDataToAsync(digesting, cancellationToken);
        return digesting.Digest;
    }
}
