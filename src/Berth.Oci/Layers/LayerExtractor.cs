using Berth.Oci.Errors;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.Layers;

/// <summary>Writes tar entries of an image layer into its directory, as Docker's overlay2 driver lays them out.</summary>
internal sealed class LayerExtractor(string targetDir)
{
    private const string RootDescription = "the layer root";

    private readonly RootedTree _tree = new(targetDir, RootDescription);
    private readonly List<(string Path, long Seconds, uint Nanoseconds)> _directoryTimes = [];

    public long ContentSize { get; private set; }

    public async Task ExtractAsync(TarHeader header, TarStreamReader reader, CancellationToken cancellationToken)
    {
        string relative = TarSafety.CleanName(header.Name, RootDescription);
        // Docker leaves the layer directory itself as it made it, whatever the archive says of "./".
        if (relative.Length == 0) return;
        string baseName = TarSafety.BaseName(relative);

        if (baseName == Whiteouts.OpaqueMarker)
        {
            string dir = _tree.PrepareDirectory(TarSafety.ParentOf(relative), header.Name);
            PosixFiles.SetXattr(dir, Whiteouts.OpaqueXattr, "y"u8);
            return;
        }
        if (baseName.StartsWith(Whiteouts.MetaPrefix, StringComparison.Ordinal) || IsUnderAufsMetadata(relative)) return;
        if (baseName.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            WriteWhiteout(header, relative, baseName);
            return;
        }

        string path = _tree.PrepareParents(relative, header.Name);
        var existing = PosixFiles.TryLstat(path);
        // Anything in the way is replaced, except that a directory entry over a directory merges into it.
        if (existing is { } found && !(found.IsDirectory && header.Type == TarEntryType.Directory))
            _tree.Remove(relative, found);

        switch (header.Type)
        {
            case TarEntryType.Directory:
                if (existing is not { IsDirectory: true }) Directory.CreateDirectory(path);
                _tree.RememberDirectory(relative);
                break;
            case TarEntryType.RegularFile:
                await WriteFileAsync(path, header, reader, cancellationToken);
                break;
            case TarEntryType.Symlink:
                PosixFiles.CreateSymlink(header.LinkName, path);
                break;
            case TarEntryType.HardLink:
                // The link shares the target's inode, whose metadata came with the target's own entry.
                PosixFiles.CreateHardLink(_tree.ResolveLinkTarget(header.LinkName, header.Name), path);
                return;
            case TarEntryType.CharDevice:
                PosixFiles.MakeNode(path, FileKind.CharDevice, header.Mode, header.DevMajor, header.DevMinor);
                break;
            case TarEntryType.BlockDevice:
                PosixFiles.MakeNode(path, FileKind.BlockDevice, header.Mode, header.DevMajor, header.DevMinor);
                break;
            case TarEntryType.Fifo:
                PosixFiles.MakeNode(path, FileKind.Fifo, header.Mode);
                break;
        }
        ApplyMetadata(path, header);
    }

    /// <summary>Sets directory times last: creating entries inside a directory changes its mtime.</summary>
    public void FinishDirectoryTimes()
    {
        foreach (var (path, seconds, nanoseconds) in _directoryTimes)
            PosixFiles.SetTimes(path, seconds, nanoseconds);
    }

    private void WriteWhiteout(TarHeader header, string relative, string baseName)
    {
        string name = baseName[Whiteouts.Prefix.Length..];
        if (name is "" or "." or "..")
            throw BerthException.Invalid($"invalid tar header: whiteout {TarSafety.Quote(header.Name)} names no file");
        string parent = TarSafety.ParentOf(relative);
        string deleted = parent.Length == 0 ? name : parent + "/" + name;
        string path = _tree.PrepareParents(deleted, header.Name);
        if (PosixFiles.TryLstat(path) is { } existing) _tree.Remove(deleted, existing);
        PosixFiles.MakeNode(path, FileKind.CharDevice, 0, 0, 0);
        PosixFiles.ChangeOwner(path, Id(header.Uid, header), Id(header.Gid, header));
    }

    private async Task WriteFileAsync(string path, TarHeader header, TarStreamReader reader, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = header.Size,
        };
        await using (var file = new FileStream(path, options))
            await reader.CopyDataToAsync(file, cancellationToken);
        ContentSize += header.Size;
    }

    private void ApplyMetadata(string path, TarHeader header)
    {
        // Order matters: chown clears setuid bits and file capabilities, so both are set after it.
        PosixFiles.ChangeOwner(path, Id(header.Uid, header), Id(header.Gid, header));
        foreach (var (name, value) in header.Xattrs)
        {
            if (Whiteouts.IsOverlayXattr(name)) continue;
            try
            {
                PosixFiles.SetXattr(path, name, value);
            }
            catch (PosixException e) when (e.Errno is LibC.EOPNOTSUPP or LibC.EPERM)
            {
                // As Docker: not every file system takes every xattr namespace; the layer is still usable.
            }
        }
        if (header.Type != TarEntryType.Symlink) PosixFiles.ChangeMode(path, header.Mode);
        if (header.Type == TarEntryType.Directory)
            _directoryTimes.Add((path, header.ModTimeSeconds, header.ModTimeNanoseconds));
        else
            PosixFiles.SetTimes(path, header.ModTimeSeconds, header.ModTimeNanoseconds);
    }

    private static bool IsUnderAufsMetadata(string relative) =>
        relative.StartsWith(Whiteouts.MetaPrefix, StringComparison.Ordinal);

    private static uint Id(long id, TarHeader header) =>
        id is >= 0 and <= uint.MaxValue ? (uint)id : throw BerthException.Invalid($"invalid tar header: {TarSafety.Quote(header.Name)} has owner id {id}");
}
