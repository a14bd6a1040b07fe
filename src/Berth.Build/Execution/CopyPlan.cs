using Berth.Build.Context;
using Berth.Oci.Errors;

namespace Berth.Build.Execution;

/// <summary>What a path of the image being built is, as far as a COPY needs to know.</summary>
public enum ImagePathKind { Missing, Directory, Other }

/// <summary>One source of a COPY and where it lands: a file at <see cref="Target"/>, or a directory's contents under it.</summary>
public sealed record CopyItem(string HostPath, string Target, bool IsDirectory, bool IsArchive);

/// <summary>
/// A COPY or ADD laid out: the existing directory of the image the changes are extracted into, the directories
/// missing on the way to the destination (parents first), and where each source goes. Targets are absolute image paths.
/// </summary>
public sealed record CopyPlan(string ExtractAt, IReadOnlyList<string> NewDirectories, IReadOnlyList<CopyItem> Items)
{
    /// <summary>
    /// Docker's destination rules: a destination ending in "/" (required with several sources) or naming an existing
    /// directory receives each file under its own name; a directory source (and an archive ADD unpacks) gives its
    /// contents, never itself; a single file to any other destination is written as that path.
    /// </summary>
    public static CopyPlan Create(string instruction, IReadOnlyList<(ContextSource Source, bool IsArchive)> sources, string destination,
        Func<string, ImagePathKind> kindOf)
    {
        bool trailingSlash = destination.EndsWith('/') || destination.EndsWith("/.", StringComparison.Ordinal);
        string dest = CleanAbsolute(destination);
        if (sources.Count > 1 && !trailingSlash)
            throw BerthException.Invalid($"When using {instruction} with more than one source file, the destination must be a directory and end with a /");
        bool destIsDirectory = trailingSlash || kindOf(dest) == ImagePathKind.Directory;

        var items = new List<CopyItem>();
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, isArchive) in sources)
        {
            if (source.IsDirectory || isArchive)
            {
                items.Add(new CopyItem(source.HostPath, dest, IsDirectory: source.IsDirectory, isArchive));
                directories.Add(dest);
            }
            else if (destIsDirectory)
            {
                items.Add(new CopyItem(source.HostPath, Join(dest, source.Name), false, false));
                directories.Add(dest);
            }
            else
            {
                items.Add(new CopyItem(source.HostPath, dest, false, false));
                directories.Add(Parent(dest));
            }
        }

        // The deepest directory that exists on the way to every target is where the tar is extracted; the ones below
        // it are created by the tar's own entries.
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        string extractAt = "/";
        foreach (string directory in directories)
        {
            string current = directory;
            while (current != "/" && kindOf(current) != ImagePathKind.Directory)
            {
                if (kindOf(current) == ImagePathKind.Other)
                    throw BerthException.Invalid($"{instruction} failed: cannot copy to {current}: it exists and is not a directory");
                missing.Add(current);
                current = Parent(current);
            }
            if (directories.Count == 1) extractAt = current;
        }
        return new CopyPlan(extractAt, [.. missing.Where(d => d.Length > extractAt.Length)], items);
    }

    /// <summary>Go's path.Clean of an absolute path.</summary>
    public static string CleanAbsolute(string path)
    {
        string cleaned = ContextFiles.Clean(path);
        return cleaned == "." ? "/" : "/" + cleaned;
    }

    public static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    /// <summary>An image path relative to the extraction directory, as a tar entry names it.</summary>
    public string RelativeToExtractAt(string path) =>
        ExtractAt == "/" ? path.TrimStart('/') : path[(ExtractAt.Length + 1)..];
}
