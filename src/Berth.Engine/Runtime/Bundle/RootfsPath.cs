using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>
/// Resolves a path inside a container's root filesystem on the host, following symlinks as the container
/// would see them: absolute targets restart at the rootfs and ".." stops at it, so an image's
/// <c>/etc/passwd -> /../../host/file</c> can never reach outside (the idea of Go's securejoin).
/// </summary>
public static class RootfsPath
{
    private const int MaxSymlinks = 255;

    public static string SecureJoin(string rootfs, string path)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootfs));
        var resolved = new List<string>();
        var pending = new Stack<string>(Components(path).Reverse());
        int symlinks = 0;

        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            string candidate = Join(root, resolved.Append(part));
            string? target = LinkTargetOf(candidate);
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++symlinks > MaxSymlinks)
                throw BerthException.Invalid($"path {path} in {rootfs}: too many levels of symbolic links");
            if (target.StartsWith('/')) resolved.Clear();
            foreach (string next in Components(target).Reverse()) pending.Push(next);
        }
        return Join(root, resolved);
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Join(string root, IEnumerable<string> parts)
    {
        string relative = string.Join('/', parts);
        return relative.Length == 0 ? root : root + "/" + relative;
    }

    private static string? LinkTargetOf(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
