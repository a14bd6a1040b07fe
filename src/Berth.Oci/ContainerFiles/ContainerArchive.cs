using System.Text.Json;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// The archive API of a container's filesystem (what `docker cp` uses), with Docker's path rules: a path that ends
/// in "/" or "/." has its last symlink followed, any other names the link itself; its parents are always resolved
/// inside the container.
/// </summary>
public static class ContainerArchive
{
    /// <summary>Stat of <paramref name="path"/>, for HEAD and the X-Docker-Container-Path-Stat header.</summary>
    public static PathStat Stat(ScopedRoot root, string path, string containerName) => StatOf(root, Locate(root, path, containerName));

    /// <summary>
    /// Writes <paramref name="path"/> as a tar whose top entry is named after the path's last component, into the
    /// stream <paramref name="begin"/> returns once it has the path's stat (the header goes before the body).
    /// </summary>
    public static async Task WriteAsync(ScopedRoot root, string path, Func<PathStat, Task<Stream>> begin, IReadOnlySet<string> opaqueDirectories, string containerName, CancellationToken cancellationToken)
    {
        var resource = Locate(root, path, containerName);
        string parentPath = ParentOf(resource.Resolved);
        using var parent = root.TryOpen(parentPath, LibC.ORdOnly | LibC.ODirectory, followLast: true)
            ?? throw NotFound(path, containerName);
        string entry = resource.Resolved == "/" ? "." : BaseOf(resource.Resolved);
        var writer = new TarStreamWriter(await begin(StatOf(root, resource)));
        await new ScopedArchiver(writer, opaqueDirectories, ContainerOwnerNames.Read(root)).WriteAsync(parent, entry, resource.Resolved, resource.Name, cancellationToken);
        await writer.FinishAsync(cancellationToken);
    }

    private static PathStat StatOf(ScopedRoot root, Resource resource) =>
        PathStat.From(resource.Name, resource.Status, resource.Status.IsSymlink ? root.Resolve(resource.Resolved) : "");

    /// <summary>
    /// Extracts a tar (plain, gzip or zstd) into the directory <paramref name="path"/>; returns the container path
    /// it was extracted into.
    /// </summary>
    public static async Task<string> ExtractAsync(ScopedRoot root, string path, Stream archive, ExtractOptions options, string containerName, CancellationToken cancellationToken)
    {
        string destination = root.Resolve(path);
        var status = root.TryStat(destination, followLast: false) ?? throw NotFound(path, containerName);
        if (!status.IsDirectory) throw BerthException.Invalid("extraction point is not a directory");
        try
        {
            var (content, _) = await Compression.DecompressAsync(archive, leaveOpen: true, cancellationToken);
            await using (content)
            {
                var reader = new TarStreamReader(content);
                var extractor = new ScopedExtractor(root, destination, options);
                while (await reader.NextAsync(cancellationToken) is { } header)
                    await extractor.ExtractAsync(header, reader, cancellationToken);
                extractor.FinishDirectoryTimes();
            }
        }
        catch (Exception e) when (Compression.IsCorruptInput(e))
        {
            throw BerthException.Invalid($"Error processing tar file: {e.Message}");
        }
        catch (PosixException e) when (e.Errno is LibC.ENAMETOOLONG or LibC.EINVAL or LibC.ELOOP or LibC.EEXIST or LibC.ENOTDIR or LibC.EISDIR)
        {
            throw BerthException.Invalid($"Error processing tar file: {e.Message}");
        }
        catch (PosixException e) when (e.Errno == 30) // EROFS: a read-only bind or volume inside the container
        {
            throw BerthException.Forbidden($"Error processing tar file: {e.Message}");
        }
        return destination;
    }

    /// <summary>The base64 JSON of the X-Docker-Container-Path-Stat header.</summary>
    public static string StatHeader(PathStat stat)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", stat.Name);
            json.WriteNumber("size", stat.Size);
            json.WriteNumber("mode", stat.Mode);
            json.WriteString("mtime", stat.ModifiedAt);
            json.WriteString("linkTarget", stat.LinkTarget);
            json.WriteEndObject();
        }
        return Convert.ToBase64String(buffer.ToArray());
    }

    private readonly record struct Resource(string Name, string Resolved, FileStatus Status);

    /// <summary>Docker's ResolveResourcePath and the name the path is archived under.</summary>
    private static Resource Locate(ScopedRoot root, string path, string containerName)
    {
        if (path.Length == 0) throw BerthException.Invalid("bad parameter: path cannot be empty");
        string absolute = "/" + ScopedRoot.Relative(path);
        bool followLast = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path == ".";
        string resolved = followLast || absolute == "/"
            ? root.Resolve(absolute)
            : Join(root.Resolve(ParentOf(absolute)), BaseOf(absolute));
        var status = root.TryStat(resolved, followLast: false) ?? throw NotFound(path, containerName);
        if (path.EndsWith('/') && !status.IsDirectory) throw BerthException.Invalid($"{path}: not a directory");
        string name = absolute == "/" ? "/" : path.EndsWith("/.", StringComparison.Ordinal) || path == "." ? "." : BaseOf(absolute);
        return new Resource(name, resolved, status);
    }

    private static BerthException NotFound(string path, string containerName) =>
        BerthException.NotFound($"Could not find the file {path} in container {containerName}");

    private static string ParentOf(string absolute)
    {
        int slash = absolute.LastIndexOf('/');
        return slash <= 0 ? "/" : absolute[..slash];
    }

    private static string BaseOf(string absolute) => absolute[(absolute.LastIndexOf('/') + 1)..];

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
