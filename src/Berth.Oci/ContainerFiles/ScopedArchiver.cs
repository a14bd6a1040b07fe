using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// Writes a file or directory tree of a container as tar entries, walking by open directory handles (openat with
/// O_NOFOLLOW at every step), so a symlink swapped in while it walks is archived as a link, never followed out.
/// </summary>
internal sealed class ScopedArchiver(TarStreamWriter writer, IReadOnlySet<string> opaqueDirectories, OwnerNames names)
{
    // The first name seen for each multiply-linked inode; later names become hard link entries to it.
    private readonly Dictionary<(uint, uint, ulong), string> _linkTargets = [];

    /// <summary>
    /// Archives the entry <paramref name="name"/> of the open directory <paramref name="parent"/> (the container path
    /// <paramref name="containerPath"/>) under the tar name <paramref name="tarName"/>.
    /// </summary>
    public async Task WriteAsync(SafeFileHandle parent, string name, string containerPath, string tarName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var status = StatAt(parent, name, containerPath);
        if (status.Kind is FileKind.Socket or FileKind.Unknown) return;

        if (!status.IsDirectory && status.NLink > 1)
        {
            var inode = (status.DeviceMajor, status.DeviceMinor, status.Inode);
            if (_linkTargets.TryGetValue(inode, out var first))
            {
                await writer.WriteHeaderAsync(Header(tarName, TarEntryType.HardLink, status) with { LinkName = first }, cancellationToken);
                return;
            }
            _linkTargets[inode] = tarName;
        }

        switch (status.Kind)
        {
            case FileKind.Directory:
                await writer.WriteHeaderAsync(Header(tarName.EndsWith('/') ? tarName : tarName + "/", TarEntryType.Directory, status), cancellationToken);
                if (opaqueDirectories.Contains(containerPath)) return;
                using (var directory = OpenAt(parent, name, LibC.ODirectory, containerPath))
                {
                    string prefix = tarName.EndsWith('/') ? tarName : tarName + "/";
                    string pathPrefix = containerPath == "/" ? "/" : containerPath + "/";
                    foreach (var child in ListNames(directory))
                        await WriteAsync(directory, child, pathPrefix + child, prefix + child, cancellationToken);
                }
                break;
            case FileKind.Regular:
                using (var handle = OpenAt(parent, name, LibC.ONonBlock, containerPath))
                {
                    var opened = ScopedRoot.StatOf(handle, containerPath);
                    if (opened.Inode != status.Inode || opened.Kind != FileKind.Regular)
                        throw new PosixException(LibC.ESTALE, $"{containerPath}: replaced while being archived");
                    await writer.WriteHeaderAsync(Header(tarName, TarEntryType.RegularFile, opened) with { Size = opened.Size }, cancellationToken);
                    await using var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
                    await writer.CopyDataFromAsync(file, containerPath, cancellationToken);
                }
                break;
            case FileKind.Symlink:
                using (var link = OpenAt(parent, name, LibC.OPath, containerPath))
                    await writer.WriteHeaderAsync(Header(tarName, TarEntryType.Symlink, status) with { LinkName = ScopedRoot.ReadLink(link, containerPath) }, cancellationToken);
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                await writer.WriteHeaderAsync(Header(tarName, status.Kind == FileKind.CharDevice ? TarEntryType.CharDevice : TarEntryType.BlockDevice, status) with
                {
                    DevMajor = status.RDevMajor,
                    DevMinor = status.RDevMinor,
                }, cancellationToken);
                break;
            case FileKind.Fifo:
                await writer.WriteHeaderAsync(Header(tarName, TarEntryType.Fifo, status), cancellationToken);
                break;
        }
    }

    private TarHeader Header(string name, TarEntryType type, FileStatus status) => new()
    {
        Name = name,
        Type = type,
        Mode = status.Permissions,
        Uid = status.Uid,
        Gid = status.Gid,
        UserName = names.User(status.Uid),
        GroupName = names.Group(status.Gid),
        ModTimeSeconds = status.MTimeSeconds,
    };

    private static FileStatus StatAt(SafeFileHandle directory, string name, string what)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(directory, name, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0)
            throw PosixException.FromLastError("lstat", what);
        return FileStatus.FromStatx(buffer);
    }

    private static SafeFileHandle OpenAt(SafeFileHandle directory, string name, int flags, string what)
    {
        int fd = LibC.openat(directory, name, flags | LibC.ONoFollow | LibC.OCloExec, 0);
        if (fd < 0) throw PosixException.FromLastError("open", what);
        return LibC.Handle(fd);
    }

    /// <summary>The names in an open directory, sorted (archives come out the same every time).</summary>
    private static List<string> ListNames(SafeFileHandle directory)
    {
        // /proc/self/fd/N is the directory the handle holds, whatever has been renamed or replaced since.
        string path = "/proc/self/fd/" + directory.DangerousGetHandle();
        var names = new DirectoryInfo(path).EnumerateFileSystemInfos().Select(info => info.Name).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
