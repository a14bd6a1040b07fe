using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Native;

namespace Berth.Oci.Archives;

/// <summary>
/// Resolves a path inside a root the way a chroot would: symlinks are followed, but absolute targets and ".."
/// are taken relative to the root, so the result never leaves it (what Docker's FollowSymlinkInScope does for
/// the paths an archive's manifest names).
/// </summary>
internal static class ScopedPath
{
    private const int MaxSymlinks = 255;

    /// <summary>The symlink-free relative path <paramref name="path"/> leads to inside <paramref name="root"/>.</summary>
    public static string Resolve(string root, string path)
    {
        var pending = new LinkedList<string>(Split(path));
        var resolved = new List<string>();
        int hops = 0;
        while (pending.First is { } first)
        {
            string part = first.Value;
            pending.RemoveFirst();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = string.Join('/', resolved.Append(part));
            if (PosixFiles.TryLstat(root + "/" + candidate) is { IsSymlink: true })
            {
                if (++hops > MaxSymlinks) throw BerthException.Invalid($"{TarSafety.Quote(path)}: too many levels of symbolic links");
                string target = PosixFiles.ReadLink(root + "/" + candidate);
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var targetPart in Split(target).Reverse()) pending.AddFirst(targetPart);
                continue;
            }
            resolved.Add(part);
        }
        return string.Join('/', resolved);
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
