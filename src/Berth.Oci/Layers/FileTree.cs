using Berth.Oci.Native;

namespace Berth.Oci.Layers;

/// <summary>One file met while walking a tree: its path relative to the root ("a/b"), full path and lstat.</summary>
internal readonly record struct TreeEntry(string Relative, string FullPath, FileStatus Status);

internal static class FileTree
{
    private static readonly EnumerationOptions AllEntries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// Every entry below <paramref name="root"/> (not the root itself), depth first, each directory right before its
    /// contents, names in ordinal order as Go's filepath.Walk gives them (so archives are deterministic).
    /// Symlinks are reported, never followed.
    /// </summary>
    public static IEnumerable<TreeEntry> Walk(string root)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var open = new Stack<(string Relative, string Full, IEnumerator<string> Names)>();
        open.Push(("", root, SortedNames(root)));
        try
        {
            while (open.Count > 0)
            {
                var (relativeDir, fullDir, names) = open.Peek();
                if (!names.MoveNext())
                {
                    open.Pop().Names.Dispose();
                    continue;
                }
                string relative = relativeDir.Length == 0 ? names.Current : relativeDir + "/" + names.Current;
                string full = fullDir + "/" + names.Current;
                // Gone since the listing (a container still running): nothing to archive.
                if (PosixFiles.TryLstat(full) is not { } status) continue;
                yield return new TreeEntry(relative, full, status);
                if (status.IsDirectory) open.Push((relative, full, SortedNames(full)));
            }
        }
        finally
        {
            while (open.Count > 0) open.Pop().Names.Dispose();
        }
    }

    private static IEnumerator<string> SortedNames(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", AllEntries)
            .Select(path => path[(path.LastIndexOf('/') + 1)..])
            .Order(StringComparer.Ordinal)
            .ToList()
            .GetEnumerator();
}
