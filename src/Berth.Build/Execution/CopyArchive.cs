using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Build.Context;
using Berth.Oci.Native;

namespace Berth.Build.Execution;

/// <summary>
/// Writes a <see cref="CopyPlan"/> as the tar that is extracted into the image: the missing directories (0755), then
/// each source's files with their modes and times, every entry owned by <paramref name="uid"/>:<paramref name="gid"/>
/// (root unless --chown), as Docker's COPY writes them. Archives that ADD unpacks are not in it (they are extracted
/// on their own, keeping their owners).
/// </summary>
internal static class CopyArchive
{
    public static async Task WriteAsync(CopyPlan plan, int uid, int gid, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var now = DateTimeOffset.UtcNow;
        foreach (string directory in plan.NewDirectories)
            await writer.WriteEntryAsync(Entry(TarEntryType.Directory, plan.RelativeToExtractAt(directory) + "/", (UnixFileMode)0x1ED, now, uid, gid), cancellationToken);
        foreach (var item in plan.Items.Where(i => !i.IsArchive))
        {
            string target = plan.RelativeToExtractAt(item.Target);
            if (item.IsDirectory)
                await WriteTreeAsync(writer, item.HostPath, target, uid, gid, cancellationToken);
            else
                await WriteOneAsync(writer, new FileInfo(item.HostPath), target, uid, gid, cancellationToken);
        }
    }

    /// <summary>
    /// The cache identity of the sources: names, types, modes, link targets and contents, but not times (an unchanged
    /// file checked out again still hits the cache, as with Docker).
    /// </summary>
    public static string Hash(IReadOnlyList<(ContextSource Source, bool IsArchive)> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (source, isArchive) in sources)
        {
            Add(hash, $"{source.Name}\0{isArchive}\0");
            if (source.IsDirectory)
            {
                foreach (var entry in DirectoryTree.Walk(new DirectoryInfo(source.HostPath)))
                    HashEntry(hash, entry.Info, entry.Relative);
            }
            else
            {
                HashEntry(hash, new FileInfo(source.HostPath), "");
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void HashEntry(IncrementalHash hash, FileSystemInfo info, string relative)
    {
        Add(hash, $"{relative}\0{(int)info.UnixFileMode}\0{info.LinkTarget}\0{info is DirectoryInfo}\0");
        if (info is FileInfo && PosixFiles.TryLstat(info.FullName)?.Kind == FileKind.Regular)
        {
            using var file = File.OpenRead(info.FullName);
            hash.AppendData(SHA256.HashData(file));
        }
    }

    private static void Add(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));

    private static async Task WriteTreeAsync(TarWriter writer, string hostDirectory, string target, int uid, int gid, CancellationToken cancellationToken)
    {
        foreach (var (info, relative) in DirectoryTree.Walk(new DirectoryInfo(hostDirectory)))
        {
            string name = target.Length == 0 ? relative : target + "/" + relative;
            await WriteOneAsync(writer, info, name, uid, gid, cancellationToken);
        }
    }

    private static async Task WriteOneAsync(TarWriter writer, FileSystemInfo info, string name, int uid, int gid, CancellationToken cancellationToken)
    {
        var mode = info.UnixFileMode;
        var modified = info.LastWriteTimeUtc;
        if (info.LinkTarget is { } link)
        {
            var entry = Entry(TarEntryType.SymbolicLink, name, mode, modified, uid, gid);
            entry.LinkName = link;
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
        else if (info is DirectoryInfo)
        {
            await writer.WriteEntryAsync(Entry(TarEntryType.Directory, name + "/", mode, modified, uid, gid), cancellationToken);
        }
        else if (info is FileInfo file && PosixFiles.TryLstat(file.FullName)?.Kind == FileKind.Regular)
        {
            await using var content = File.OpenRead(file.FullName);
            var entry = Entry(TarEntryType.RegularFile, name, mode, modified, uid, gid);
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset modified, int uid, int gid) =>
        new(type, name) { Mode = mode, ModificationTime = modified, Uid = uid, Gid = gid };
}
