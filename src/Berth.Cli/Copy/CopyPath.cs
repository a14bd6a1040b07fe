namespace Berth.Cli.Copy;

/// <summary>
/// docker cp's path rules, shared by both directions: a trailing "/" asserts a directory, a trailing "/." means "the
/// contents of", and the last component of the source becomes the entry name that the destination may rename.
/// </summary>
public static class CopyPath
{
    public static bool HasTrailingSeparator(string path) => path.Length > 0 && path[^1] == '/';

    public static bool SpecifiesCurrentDirectory(string path) => path == "." || path.EndsWith("/.", StringComparison.Ordinal);

    /// <summary>A path that says it must be a directory ("dir/" or "dir/.").</summary>
    public static bool AssertsDirectory(string path) => HasTrailingSeparator(path) || SpecifiesCurrentDirectory(path);

    /// <summary>
    /// Splits a path into its parent and last entry the way docker cp does: "a/b/" is ("a", "b") and "a/b/." is
    /// ("a/b", "."), so copying "dir/." names the directory's contents rather than the directory.
    /// </summary>
    public static (string Directory, string Entry) SplitDirectoryEntry(string path)
    {
        string cleaned = Clean(path);
        if (SpecifiesCurrentDirectory(path)) cleaned = cleaned == "/" ? "/." : cleaned + "/.";
        int slash = cleaned.LastIndexOf('/');
        if (slash < 0) return (".", cleaned);
        string directory = slash == 0 ? "/" : cleaned[..slash];
        return (directory, cleaned[(slash + 1)..]);
    }

    /// <summary>Go's path.Clean: no repeated or trailing slashes, "." and ".." folded lexically.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        bool absolute = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!absolute) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        string joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Joins a link target to the directory of the link, unless it is absolute.</summary>
    public static string ResolveLinkTarget(string linkPath, string target) =>
        target.StartsWith('/') ? target : Clean(SplitDirectoryEntry(linkPath).Directory + "/" + target);

    /// <summary>
    /// After a symlink was resolved, the name the copy must still carry (docker's rebase name): the original last
    /// component when it differs from the resolved one, keeping a trailing "/" or "/." the original had.
    /// </summary>
    public static (string Resolved, string RebaseName) RebaseFor(string original, string resolved)
    {
        if (SpecifiesCurrentDirectory(original) && !SpecifiesCurrentDirectory(resolved)) resolved += "/.";
        else if (HasTrailingSeparator(original) && !HasTrailingSeparator(resolved)) resolved += "/";
        string originalBase = SplitDirectoryEntry(original).Entry, resolvedBase = SplitDirectoryEntry(resolved).Entry;
        return (resolved, originalBase != resolvedBase ? originalBase : "");
    }

    /// <summary>
    /// Renames an archive entry whose first component is <paramref name="oldBase"/> to start with
    /// <paramref name="newBase"/> instead (the copy's root takes the destination's name); other names are unchanged.
    /// </summary>
    public static string Rebase(string name, string oldBase, string newBase)
    {
        string trimmed = name.StartsWith("./", StringComparison.Ordinal) && oldBase != "." ? name[2..] : name;
        if (trimmed == oldBase || trimmed == oldBase + "/") return newBase + trimmed[oldBase.Length..];
        if (trimmed.StartsWith(oldBase + "/", StringComparison.Ordinal)) return newBase + trimmed[oldBase.Length..];
        return name;
    }
}
