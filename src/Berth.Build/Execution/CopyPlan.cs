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

        // Every target lands in one directory: the destination itself, or its parent when a single file is written as
        // the destination's own name.
        bool intoDestination = destIsDirectory || sources.Any(s => s.Source.IsDirectory || s.IsArchive);
        var items = sources.Select(s => new CopyItem(s.Source.HostPath,
            s.Source.IsDirectory || s.IsArchive || !destIsDirectory ? dest : Join(dest, s.Source.Name), s.Source.IsDirectory, s.IsArchive)).ToList();

        // The deepest directory that exists on the way there is where the tar is extracted; the ones below it are
        // created by the tar's own entries.
        string extractAt = intoDestination ? dest : Parent(dest);
        var missing = new List<string>();
        while (extractAt != "/" && kindOf(extractAt) != ImagePathKind.Directory)
        {
            if (kindOf(extractAt) == ImagePathKind.Other)
                throw BerthException.Invalid($"{instruction} failed: cannot copy to {extractAt}: it exists and is not a directory");
            missing.Insert(0, extractAt);
            extractAt = Parent(extractAt);
        }
        return new CopyPlan(extractAt, missing, items);
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
