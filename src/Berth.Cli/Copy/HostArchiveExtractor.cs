using System.Formats.Tar;

namespace Berth.Cli.Copy;

/// <summary>
/// Extracts a tar from a container into a local directory as docker cp does: the archive's root entry is renamed to
/// the plan's name, ownership is not changed (files belong to whoever runs the copy), a directory is never replaced
/// by a file or the reverse, and no entry may land outside the directory, by name or through a symlink the archive
/// made. Directory times are set last, once their contents are in.
/// </summary>
public sealed class HostArchiveExtractor(string directory, string archiveRoot, string rootName)
{
    private readonly string _directory = Path.GetFullPath(directory);
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];

    public async Task ExtractAsync(Stream archive, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(archive, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            await ExtractEntryAsync(entry, cancellationToken);
        foreach (var (path, time) in Enumerable.Reverse(_directoryTimes))
            Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
    }

    private async Task ExtractEntryAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        string target = TargetOf(entry.Name);
        if (target == _directory && entry.EntryType != TarEntryType.Directory) throw new CopyException($"cannot overwrite directory \"{target}\" with non-directory");
        uint? existing = NativeFiles.Mode(target, followLinks: false);
        bool existingIsDirectory = existing is { } m && (m & NativeFiles.TypeMask) == NativeFiles.Directory;
        var mode = (UnixFileMode)((int)entry.Mode & 0xFFF);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (existing is not null && !existingIsDirectory)
                    throw new CopyException($"cannot overwrite non-directory \"{target}\" with directory \"{entry.Name}\"");
                if (existing is null) Directory.CreateDirectory(target);
                File.SetUnixFileMode(target, mode);
                _directoryTimes.Add((target, entry.ModificationTime));
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                PrepareForNonDirectory(target, existing, existingIsDirectory, entry.Name);
                await using (var file = new FileStream(target, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
                {
                    if (entry.DataStream is { } data) await data.CopyToAsync(file, cancellationToken);
                }
                File.SetUnixFileMode(target, mode);
                File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
                return;
            case TarEntryType.SymbolicLink:
                PrepareForNonDirectory(target, existing, existingIsDirectory, entry.Name);
                File.CreateSymbolicLink(target, entry.LinkName);
                return;
            case TarEntryType.HardLink:
                PrepareForNonDirectory(target, existing, existingIsDirectory, entry.Name);
                NativeFiles.HardLink(TargetOf(entry.LinkName), target);
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                PrepareForNonDirectory(target, existing, existingIsDirectory, entry.Name);
                uint type = entry.EntryType switch { TarEntryType.CharacterDevice => NativeFiles.CharDevice, TarEntryType.BlockDevice => NativeFiles.BlockDevice, _ => NativeFiles.Fifo };
                var (major, minor) = entry is PosixTarEntry posix ? (posix.DeviceMajor, posix.DeviceMinor) : (0, 0);
                NativeFiles.MakeNode(target, type | (uint)mode, major, minor);
                return;
            default:
                return; // PAX/GNU metadata entries are folded into the entries they describe by TarReader
        }
    }

    private static void PrepareForNonDirectory(string target, uint? existing, bool existingIsDirectory, string name)
    {
        if (existingIsDirectory) throw new CopyException($"cannot overwrite directory \"{target}\" with non-directory \"{name}\"");
        if (existing is not null) File.Delete(target);
        else Directory.CreateDirectory(Path.GetDirectoryName(target)!); // an archive may leave out its parent directories
    }

    /// <summary>
    /// Where an entry goes: its name with the archive root renamed, inside the directory, through no symlink. A name that
    /// leaves the directory, or a parent that is a symlink (one the archive itself may have made), is refused.
    /// </summary>
    private string TargetOf(string name)
    {
        string renamed = CopyPath.Rebase(name, archiveRoot, rootName);
        string relative = CopyPath.Clean(renamed.TrimStart('/'));
        if (relative == "..") throw Breakout(name);
        if (relative.StartsWith("../", StringComparison.Ordinal)) throw Breakout(name);
        if (relative == ".") return _directory;
        string current = _directory;
        var parts = relative.Split('/');
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Join(current, parts[i]);
            if (NativeFiles.Mode(current, followLinks: false) is { } mode && (mode & NativeFiles.TypeMask) == NativeFiles.Symlink) throw Breakout(name);
        }
        return Path.Join(current, parts[^1]);
    }

    private Exception Breakout(string name) => new CopyException($"invalid archive entry \"{name}\": it points outside of \"{_directory}\"");
}
