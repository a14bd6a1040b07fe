using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// How an archive is laid into a container (the query of PUT /containers/{id}/archive). Entries keep the owners their
/// headers name unless <paramref name="ChownTo"/> gives one owner for all (docker cp -a into a container with a USER).
/// </summary>
public sealed record ExtractOptions(bool NoOverwriteDirNonDir, FileOwner? ChownTo = null);

/// <summary>A numeric owner of files.</summary>
public sealed record FileOwner(uint Uid, uint Gid);

/// <summary>
/// Writes tar entries into a directory of a container. Each entry's parent is opened through the container's root
/// (symlinks resolved inside it, missing directories created) and the entry is made relative to that handle with
/// calls that never follow a symlink, so no entry lands outside the container: not through "..", not through a
/// symlink the archive or the container planted, not through a hard link. Device nodes are refused outright.
/// </summary>
internal sealed class ScopedExtractor(ScopedRoot root, string destination, ExtractOptions options)
{
    private readonly List<(string Path, long Seconds)> _directoryTimes = [];

    public async Task ExtractAsync(TarHeader header, TarStreamReader reader, CancellationToken cancellationToken)
    {
        string relative = TarSafety.CleanName(header.Name, "the extraction point");
        string path = Join(destination, relative);
        uint uid = options.ChownTo?.Uid ?? Id(header.Uid, header);
        uint gid = options.ChownTo?.Gid ?? Id(header.Gid, header);

        // "./" is the extraction point itself, which stays as it is (as Docker leaves it).
        if (relative.Length == 0) return;
        if (header.Type is TarEntryType.CharDevice or TarEntryType.BlockDevice)
            throw BerthException.Invalid($"refusing to create device {TarSafety.Quote(header.Name)} in {root.Description}");

        string name = TarSafety.BaseName(relative);
        using var parent = root.OpenOrCreateDirectory(Join(destination, TarSafety.ParentOf(relative)), 0, 0);
        if (!ClearTheWay(parent, name, header))
        {
            SetDirectoryMetadata(path, header, uid, gid);
            return;
        }

        switch (header.Type)
        {
            case TarEntryType.Directory:
                Check(LibC.mkdirat(parent, name, 0x1c0), "mkdir", path);
                SetDirectoryMetadata(path, header, uid, gid);
                break;
            case TarEntryType.RegularFile:
                await WriteFileAsync(parent, name, path, header, reader, uid, gid, cancellationToken);
                break;
            case TarEntryType.Symlink:
                Check(LibC.symlinkat(header.LinkName, parent, name), "symlink", path);
                Check(LibC.fchownat(parent, name, uid, gid, LibC.AtSymlinkNoFollow), "lchown", path);
                SetTimesAt(parent, name, header, path);
                break;
            case TarEntryType.HardLink:
                LinkAt(parent, name, path, header);
                break;
            case TarEntryType.Fifo:
                Check(LibC.mknodat(parent, name, (uint)FileKind.Fifo | 0x180u, 0), "mkfifo", path);
                using (var fifo = OpenAt(parent, name, LibC.ORdOnly | LibC.ONonBlock, path))
                    SetMetadata(fifo, header, uid, gid, path);
                break;
            default:
                throw BerthException.Invalid($"tar entry {TarSafety.Quote(header.Name)} has a type berthd cannot extract");
        }
    }

    /// <summary>Directory times go last: creating entries inside a directory changes its mtime.</summary>
    public void FinishDirectoryTimes()
    {
        foreach (var (path, seconds) in _directoryTimes)
        {
            using var directory = root.TryOpen(path, LibC.ORdOnly | LibC.ODirectory, followLast: false);
            if (directory is null) continue;
            ReadOnlySpan<long> times = [seconds, 0, seconds, 0];
            LibC.futimens(directory, times);
        }
    }

    /// <summary>
    /// Removes what is in the way of an entry; false when a directory entry lands on an existing directory (they merge).
    /// </summary>
    private bool ClearTheWay(SafeFileHandle parent, string name, TarHeader header)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(parent, name, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0) return true;
        var existing = FileStatus.FromStatx(buffer);
        bool entryIsDirectory = header.Type == TarEntryType.Directory;
        if (existing.IsDirectory && entryIsDirectory) return false;
        if (options.NoOverwriteDirNonDir && existing.IsDirectory != entryIsDirectory)
        {
            throw existing.IsDirectory
                ? BerthException.Invalid($"cannot overwrite directory {TarSafety.Quote(Join(destination, name))} with non-directory {TarSafety.Quote(header.Name)}")
                : BerthException.Invalid($"cannot overwrite non-directory {TarSafety.Quote(Join(destination, name))} with directory {TarSafety.Quote(header.Name)}");
        }
        if (existing.IsDirectory) RemoveTree(parent, name);
        else Check(LibC.unlinkat(parent, name, 0), "remove", name);
        return true;
    }

    private static void RemoveTree(SafeFileHandle parent, string name)
    {
        using (var directory = OpenAt(parent, name, LibC.ORdOnly | LibC.ODirectory, name))
        {
            string path = "/proc/self/fd/" + directory.DangerousGetHandle();
            Span<byte> buffer = stackalloc byte[256];
            foreach (var child in new DirectoryInfo(path).EnumerateFileSystemInfos().Select(info => info.Name).ToList())
            {
                if (LibC.statx(directory, child, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0) continue;
                if (FileStatus.FromStatx(buffer).IsDirectory) RemoveTree(directory, child);
                else Check(LibC.unlinkat(directory, child, 0), "remove", child);
            }
        }
        Check(LibC.unlinkat(parent, name, LibC.AtRemoveDir), "remove", name);
    }

    private static async Task WriteFileAsync(SafeFileHandle parent, string name, string path, TarHeader header, TarStreamReader reader, uint uid, uint gid, CancellationToken cancellationToken)
    {
        var handle = OpenAt(parent, name, LibC.OWrOnly | LibC.OCreat | LibC.OExcl, path, mode: 0x180);
        await using var file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        await reader.CopyDataToAsync(file, cancellationToken);
        await file.FlushAsync(cancellationToken);
        SetMetadata(handle, header, uid, gid, path);
    }

    private void LinkAt(SafeFileHandle parent, string name, string path, TarHeader header)
    {
        string target;
        try
        {
            target = TarSafety.CleanName(header.LinkName, "the extraction point");
        }
        catch (BerthException)
        {
            throw BerthException.Invalid($"invalid hardlink {TarSafety.Quote(header.Name)} -> {TarSafety.Quote(header.LinkName)}: outside of the extraction point");
        }
        using var existing = root.TryOpenPath(Join(destination, target), followLast: false)
            ?? throw BerthException.Invalid($"hard link {TarSafety.Quote(header.Name)} -> {TarSafety.Quote(header.LinkName)}: no such file or directory");
        if (ScopedRoot.StatOf(existing, header.LinkName).IsDirectory)
            throw BerthException.Invalid($"hard link {TarSafety.Quote(header.Name)} points to directory {TarSafety.Quote(header.LinkName)}");
        Check(LibC.linkat(existing, "", parent, name, LibC.AtEmptyPath), "link", path);
    }

    private void SetDirectoryMetadata(string path, TarHeader header, uint uid, uint gid)
    {
        using var directory = root.TryOpen(path, LibC.ORdOnly | LibC.ODirectory, followLast: false)
            ?? throw BerthException.Invalid($"{TarSafety.Quote(header.Name)}: not a directory in {root.Description}");
        Check(LibC.fchown(directory, uid, gid), "chown", path);
        Check(LibC.fchmod(directory, (uint)(header.Mode & 0xfff)), "chmod", path);
        _directoryTimes.Add((path, header.ModTimeSeconds));
    }

    /// <summary>Owner, then mode (chown clears setuid bits), then times, all on the open file itself.</summary>
    private static void SetMetadata(SafeFileHandle handle, TarHeader header, uint uid, uint gid, string path)
    {
        Check(LibC.fchown(handle, uid, gid), "chown", path);
        Check(LibC.fchmod(handle, (uint)(header.Mode & 0xfff)), "chmod", path);
        ReadOnlySpan<long> times = [header.ModTimeSeconds, header.ModTimeNanoseconds, header.ModTimeSeconds, header.ModTimeNanoseconds];
        Check(LibC.futimens(handle, times), "utimes", path);
    }

    private static void SetTimesAt(SafeFileHandle parent, string name, TarHeader header, string path)
    {
        ReadOnlySpan<long> times = [header.ModTimeSeconds, header.ModTimeNanoseconds, header.ModTimeSeconds, header.ModTimeNanoseconds];
        Check(LibC.utimensat(parent, name, times, LibC.AtSymlinkNoFollow), "utimes", path);
    }

    private static SafeFileHandle OpenAt(SafeFileHandle directory, string name, int flags, string what, uint mode = 0)
    {
        int fd = LibC.openat(directory, name, flags | LibC.ONoFollow | LibC.OCloExec, mode);
        if (fd < 0) throw PosixException.FromLastError("open", what);
        return LibC.Handle(fd);
    }

    private static void Check(int result, string operation, string path)
    {
        if (result != 0) throw PosixException.FromLastError(operation, path);
    }

    private static string Join(string directory, string relative) =>
        relative.Length == 0 ? directory : directory.TrimEnd('/') + "/" + relative;

    private static uint Id(long id, TarHeader header) =>
        id is >= 0 and <= uint.MaxValue ? (uint)id : throw BerthException.Invalid($"invalid tar header: {TarSafety.Quote(header.Name)} has owner id {id}");
}
