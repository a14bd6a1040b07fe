using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.Layers;

/// <summary>
/// Writes a directory tree as tar entries. In overlay mode the tree is an overlayfs upper dir and its whiteouts
/// (0/0 character devices, opaque directories) become OCI whiteout entries, as Docker's overlay2 driver writes them.
/// </summary>
internal sealed class TreeArchiver(TarStreamWriter writer, bool overlay, OwnerNames names)
{
    // The first path seen for each multiply-linked inode; later names become hard link entries to it.
    private readonly Dictionary<(uint, uint, ulong), string> _linkTargets = [];

    public async Task WriteTreeAsync(string root, CancellationToken cancellationToken)
    {
        foreach (var entry in FileTree.Walk(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteEntryAsync(entry, cancellationToken);
        }
    }

    private async Task WriteEntryAsync(TreeEntry entry, CancellationToken cancellationToken)
    {
        var status = entry.Status;
        // Sockets are not archivable (Go's archive/tar refuses them; Docker skips them).
        if (status.Kind is FileKind.Socket or FileKind.Unknown) return;

        if (overlay && status.IsWhiteout)
        {
            string parent = TarSafety.ParentOf(entry.Relative);
            string name = Whiteouts.Prefix + TarSafety.BaseName(entry.Relative);
            await writer.WriteHeaderAsync(Header(entry, TarEntryType.RegularFile) with
            {
                Name = parent.Length == 0 ? name : parent + "/" + name,
                Mode = 0x180, // 0600, as Docker writes whiteout files
                Xattrs = TarHeader.EmptyXattrs,
            }, cancellationToken);
            return;
        }

        if (!status.IsDirectory && status.NLink > 1)
        {
            var inode = (status.DeviceMajor, status.DeviceMinor, status.Inode);
            if (_linkTargets.TryGetValue(inode, out var first))
            {
                await writer.WriteHeaderAsync(Header(entry, TarEntryType.HardLink) with { LinkName = first, Xattrs = TarHeader.EmptyXattrs }, cancellationToken);
                return;
            }
            _linkTargets[inode] = entry.Relative;
        }

        switch (status.Kind)
        {
            case FileKind.Directory:
                await writer.WriteHeaderAsync(Header(entry, TarEntryType.Directory) with { Name = entry.Relative + "/" }, cancellationToken);
                if (overlay && PosixFiles.GetXattr(entry.FullPath, Whiteouts.OpaqueXattr) is [(byte)'y'])
                {
                    await writer.WriteHeaderAsync(Header(entry, TarEntryType.RegularFile) with
                    {
                        Name = entry.Relative + "/" + Whiteouts.OpaqueMarker,
                        Mode = status.Permissions & 0x1ff,
                        ModTimeSeconds = 0,
                        Xattrs = TarHeader.EmptyXattrs,
                    }, cancellationToken);
                }
                break;
            case FileKind.Regular:
                await writer.WriteHeaderAsync(Header(entry, TarEntryType.RegularFile) with { Size = status.Size }, cancellationToken);
                await using (var file = PosixFiles.OpenReadNoFollow(entry.FullPath, status))
                    await writer.CopyDataFromAsync(file, entry.FullPath, cancellationToken);
                break;
            case FileKind.Symlink:
                await writer.WriteHeaderAsync(Header(entry, TarEntryType.Symlink) with { LinkName = PosixFiles.ReadLink(entry.FullPath) }, cancellationToken);
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                await writer.WriteHeaderAsync(Header(entry, status.Kind == FileKind.CharDevice ? TarEntryType.CharDevice : TarEntryType.BlockDevice) with
                {
                    DevMajor = status.RDevMajor,
                    DevMinor = status.RDevMinor,
                }, cancellationToken);
                break;
            case FileKind.Fifo:
                await writer.WriteHeaderAsync(Header(entry, TarEntryType.Fifo), cancellationToken);
                break;
        }
    }

    /// <summary>The header fields every kind shares. Times are whole seconds, as Docker writes them.</summary>
    private TarHeader Header(TreeEntry entry, TarEntryType type) => new()
    {
        Name = entry.Relative,
        Type = type,
        Mode = entry.Status.Permissions,
        Uid = entry.Status.Uid,
        Gid = entry.Status.Gid,
        UserName = names.User(entry.Status.Uid),
        GroupName = names.Group(entry.Status.Gid),
        ModTimeSeconds = entry.Status.MTimeSeconds,
        Xattrs = ReadXattrs(entry.FullPath),
    };

    private static IReadOnlyDictionary<string, byte[]> ReadXattrs(string path)
    {
        Dictionary<string, byte[]>? xattrs = null;
        foreach (var name in PosixFiles.ListXattrs(path))
        {
            if (Whiteouts.IsOverlayXattr(name)) continue;
            if (PosixFiles.GetXattr(path, name) is { } value) (xattrs ??= new(StringComparer.Ordinal))[name] = value;
        }
        return xattrs ?? TarHeader.EmptyXattrs;
    }
}
