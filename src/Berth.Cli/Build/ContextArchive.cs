using System.Formats.Tar;
using System.Text;

namespace Berth.Cli.Build;

/// <summary>
/// Writes a build context as the uncompressed tar docker's client sends: relative names (directories with a trailing
/// '/'), owner 0:0 with no user or group names, modes and modification times (whole seconds) as on disk, symlinks as
/// links. Entries are ustar, as Go writes them, and pax only for a name or link target that ustar cannot hold. Files
/// are copied from disk as the tar is written, so the context is never held in memory.
/// </summary>
public sealed class ContextArchive(IReadOnlyList<ContextEntry> entries, IReadOnlyList<GeneratedEntry> generated)
{
    private const int UstarNameLimit = 100;

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var entry in entries)
            await WriteEntryAsync(writer, entry, cancellationToken);
        foreach (var file in generated)
        {
            var header = NewEntry(TarEntryType.RegularFile, file.Name, "");
            header.Mode = file.Mode;
            header.ModificationTime = WholeSeconds(file.ModificationTime);
            header.DataStream = new MemoryStream(file.Content, writable: false);
            await writer.WriteEntryAsync(header, cancellationToken);
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, ContextEntry entry, CancellationToken cancellationToken)
    {
        FileSystemInfo info = entry.Kind == ContextEntryKind.Directory ? new DirectoryInfo(entry.FullPath) : new FileInfo(entry.FullPath);
        var (type, name, link) = entry.Kind switch
        {
            ContextEntryKind.Directory => (TarEntryType.Directory, entry.Name + "/", ""),
            ContextEntryKind.Symlink => (TarEntryType.SymbolicLink, entry.Name, info.LinkTarget ?? ""),
            ContextEntryKind.Fifo => (TarEntryType.Fifo, entry.Name, ""),
            _ => (TarEntryType.RegularFile, entry.Name, ""),
        };
        var header = NewEntry(type, name, link);
        // Symlinks carry 0777 in a tar (the link's own mode), as Go's FileInfoHeader gives them.
        header.Mode = entry.Kind == ContextEntryKind.Symlink ? (UnixFileMode)0x1FF : info.UnixFileMode;
        header.ModificationTime = WholeSeconds(info.LastWriteTimeUtc);
        if (entry.Kind != ContextEntryKind.File)
        {
            await writer.WriteEntryAsync(header, cancellationToken);
            return;
        }
        if (entry.ReplacementContent is { } replacement)
        {
            header.DataStream = new MemoryStream(replacement, writable: false);
            await writer.WriteEntryAsync(header, cancellationToken);
            return;
        }
        await using var data = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        header.DataStream = data;
        await writer.WriteEntryAsync(header, cancellationToken);
    }

    /// <summary>Ustar when the names fit (Go's choice too), else pax, whose extended header holds long names.</summary>
    private static TarEntry NewEntry(TarEntryType type, string name, string linkName)
    {
        bool fitsUstar = Fits(name) && Fits(linkName);
        TarEntry entry = fitsUstar ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        entry.Uid = 0;
        entry.Gid = 0;
        if (linkName.Length > 0)
            entry.LinkName = linkName;
        return entry;
    }

    private static bool Fits(string name) => Encoding.UTF8.GetByteCount(name) <= UstarNameLimit && Ascii.IsValid(name);

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
