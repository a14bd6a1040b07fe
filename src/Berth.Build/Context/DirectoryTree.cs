namespace Berth.Build.Context;

/// <summary>
/// A directory's entries with their paths relative to it: parents before their contents, names in ordinal order;
/// symlinks are entries, never followed.
/// </summary>
internal static class DirectoryTree
{
    public static IEnumerable<(FileSystemInfo Info, string Relative)> Walk(DirectoryInfo directory, string prefix = "")
    {
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            string relative = prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name;
            yield return (entry, relative);
            if (entry is DirectoryInfo child && entry.LinkTarget is null)
                foreach (var nested in Walk(child, relative)) yield return nested;
        }
    }
}
