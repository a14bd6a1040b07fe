using System.Runtime.InteropServices;
using Berth.Oci.Content;

namespace Berth.Engine.Metadata;

/// <summary>
/// A file rewritten often (a container's record) without creating or deleting a file each time: the new content goes
/// into a spare beside it, is flushed, and the two are swapped in one step (renameat2 RENAME_EXCHANGE), so a reader or
/// a crash sees the old content or the new, as with temp-and-rename. The spare then holds the previous content, to be
/// overwritten next time. On a disk filesystem this spares a new inode and the freeing (a synchronous discard on a
/// filesystem mounted with <c>discard</c>) of the old one at every write. The first write, and filesystems that cannot
/// exchange, use <see cref="AtomicFile"/>.
/// </summary>
public static partial class SwappedFile
{
    /// <summary>The spare's name: a leftover of a crashed write is recognised and removed by <see cref="AtomicFile.RemoveLeftovers"/>.</summary>
    public static string SpareOf(string path) => Path.Combine(Path.GetDirectoryName(path) ?? ".", AtomicFile.TempPrefix + Path.GetFileName(path) + "-spare");

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllBytes(path, content);
            return;
        }
        string spare = SpareOf(path);
        using (var stream = new FileStream(spare, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.SetLength(content.Length);
            stream.Flush(flushToDisk: true);
        }
        if (RenameAt2(AtFdCwd, spare, AtFdCwd, path, RenameExchange) == 0) return;
        // No exchange here (EINVAL): the spare, complete and flushed, replaces the file the usual way.
        File.Move(spare, path, overwrite: true);
    }

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
