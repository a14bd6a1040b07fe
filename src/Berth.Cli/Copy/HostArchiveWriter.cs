using System.Formats.Tar;

namespace Berth.Cli.Copy;

/// <summary>
/// Writes a local file or directory tree as the tar docker cp uploads: the root entry takes the plan's name (so the
/// daemon extracts it under the right name), owners and modes as on disk, symlinks kept as links, sockets left out.
/// </summary>
public static class HostArchiveWriter
{
    public static async Task WriteAsync(string sourcePath, string rootName, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        string root = sourcePath.EndsWith("/.", StringComparison.Ordinal) ? sourcePath[..^2] : sourcePath.TrimEnd('/');
        if (root.Length == 0) root = "/";
        await WriteTreeAsync(writer, root, rootName, cancellationToken);
    }

    private static async Task WriteTreeAsync(TarWriter writer, string path, string name, CancellationToken cancellationToken)
    {
        uint mode = NativeFiles.Mode(path, followLinks: false) ?? throw new CopyException($"lstat {path}: no such file or directory");
        uint type = mode & NativeFiles.TypeMask;
        if (type == NativeFiles.Socket) return; // tar has no socket entries (docker skips them too)
        bool directory = type == NativeFiles.Directory;
        await writer.WriteEntryAsync(path, directory ? name.TrimEnd('/') + "/" : name, cancellationToken);
        if (!directory) return;
        var children = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
        foreach (var child in children)
            await WriteTreeAsync(writer, Path.Join(path, child), name.TrimEnd('/') + "/" + child, cancellationToken);
    }
}
