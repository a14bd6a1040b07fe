namespace Berth.Oci.Layers;

/// <summary>A container's filesystem changes, read from its overlayfs upper dir (for <c>docker diff</c>).</summary>
public static class OverlayChanges
{
    /// <summary>
    /// Lists changes as absolute container paths ("/etc/passwd"), parents before children. A whiteout is a
    /// deletion; anything else in the upper dir is a modification when <paramref name="existsInLower"/> says the
    /// image has that path, else an addition. Directories present in the upper dir only because something inside
    /// them changed are reported as modified, as Docker does for such parents.
    /// </summary>
    public static IEnumerable<(string Path, ChangeKind Kind)> List(string upperDir, Func<string, bool> existsInLower)
    {
        foreach (var entry in FileTree.Walk(upperDir))
        {
            string path = "/" + entry.Relative;
            if (entry.Status.IsWhiteout)
                yield return (path, ChangeKind.Deleted);
            else
                yield return (path, existsInLower(path) ? ChangeKind.Modified : ChangeKind.Added);
        }
    }
}
