using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// The owner names of a container's own /etc/passwd and /etc/group, for the tars `docker cp` and `docker export`
/// write. The files are opened inside the container's root (a symlink cannot point them at the host's), and one
/// that is missing, not a regular file or too big gives no names rather than failing the copy.
/// </summary>
public static class ContainerOwnerNames
{
    public static OwnerNames Read(ScopedRoot root) => new(ReadFile(root, "/etc/passwd"), ReadFile(root, "/etc/group"));

    private static Dictionary<long, string> ReadFile(ScopedRoot root, string path)
    {
        // Non-blocking, so that a FIFO planted there cannot hold the copy; it is then refused as not a regular file.
        using var handle = root.TryOpen(path, LibC.ORdOnly | LibC.ONonBlock, followLast: true);
        if (handle is null) return [];
        var status = ScopedRoot.StatOf(handle, path);
        if (status.Kind != FileKind.Regular || status.Size > OwnerNames.MaxFileSize) return [];
        using var reader = new StreamReader(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        return OwnerNames.Parse(reader);
    }
}
