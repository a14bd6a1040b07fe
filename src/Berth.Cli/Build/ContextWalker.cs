using Berth.Api.BuildContext;
using Berth.Cli.Copy;

namespace Berth.Cli.Build;

/// <summary>
/// Lists what a directory context sends, in the order docker's archive walks it (depth first, names sorted bytewise):
/// .dockerignore applied, except to the Dockerfile and the .dockerignore themselves, which docker always sends.
/// An excluded directory is skipped whole unless an exception ("!pattern") or the Dockerfile may bring back something
/// inside it; then its entries are looked at one by one, and the directory's own entry is still left out (as docker's).
/// Sockets and device files are left out. Every regular file is opened once beforehand, as docker checks the context
/// before sending it, so an unreadable file fails the build before any byte is sent.
/// </summary>
public sealed class ContextWalker(string root, DockerIgnore ignore, string? dockerfile)
{
    public const string DockerIgnoreFile = ".dockerignore";

    public List<ContextEntry> Walk()
    {
        var entries = new List<ContextEntry>();
        WalkDirectory(root, "", entries);
        return entries;
    }

    private void WalkDirectory(string directory, string prefix, List<ContextEntry> entries)
    {
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"error checking context: can't stat '{directory}'");
        }
        foreach (var name in names)
        {
            string relative = prefix + name, full = Path.Join(directory, name);
            var kind = KindOf(full);
            if (kind is null)
                continue;
            if (IsExcluded(relative))
            {
                if (kind == ContextEntryKind.Directory && MayHoldIncludedEntries(relative))
                    WalkDirectory(full, relative + "/", entries);
                continue;
            }
            if (kind == ContextEntryKind.File)
                CheckReadable(full);
            entries.Add(new ContextEntry(relative, full, kind.Value));
            if (kind == ContextEntryKind.Directory)
                WalkDirectory(full, relative + "/", entries);
        }
    }

    private bool IsExcluded(string relative)
        => relative != DockerIgnoreFile && relative != dockerfile && ignore.IsExcluded(relative);

    private bool MayHoldIncludedEntries(string directory)
        => ignore.HasExceptions || (dockerfile is not null && dockerfile.StartsWith(directory + "/", StringComparison.Ordinal));

    private static ContextEntryKind? KindOf(string path) => (NativeFiles.Mode(path, followLinks: false) & NativeFiles.TypeMask) switch
    {
        NativeFiles.Regular => ContextEntryKind.File,
        NativeFiles.Directory => ContextEntryKind.Directory,
        NativeFiles.Symlink => ContextEntryKind.Symlink,
        NativeFiles.Fifo => ContextEntryKind.Fifo,
        // Sockets have no tar form, and devices have no business in a build context; a vanished file is no entry.
        _ => null,
    };

    private static void CheckReadable(string path)
    {
        try
        {
            File.OpenHandle(path).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"error checking context: no permission to read from '{path}'");
        }
        catch (IOException)
        {
            throw new CliException($"error checking context: can't stat '{path}'");
        }
    }
}
