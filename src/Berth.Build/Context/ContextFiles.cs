using Berth.Oci.Errors;

namespace Berth.Build.Context;

/// <summary>A file or directory of the build context that a COPY or ADD names.</summary>
public sealed record ContextSource(string HostPath, string Name, bool IsDirectory);

/// <summary>
/// The build context on disk (extracted from the request's tar, .dockerignore applied). Paths name files inside it as
/// the Dockerfile names them: relative to its root, "/" and ".." never leading out of it, and symlinks on the way
/// followed as if the root were "/" (the context came from a client's tar, so a link to /etc means the context's etc).
/// </summary>
public sealed class ContextFiles(string root)
{
    private const int MaxSymlinks = 255;

    public string Root { get; } = root;

    /// <summary>Sources named by a COPY or ADD argument: a path, or a pattern of Go's filepath.Match.</summary>
    public IReadOnlyList<ContextSource> Resolve(string pattern, string instruction)
    {
        string cleaned = Clean(pattern);
        if (!HasWildcards(cleaned))
        {
            string? host = Locate(cleaned);
            if (host is null || !Exists(host))
                throw BerthException.Invalid($"{instruction} failed: file not found in build context or excluded by .dockerignore: stat {cleaned}: file does not exist");
            return [Source(host, cleaned)];
        }
        var matches = new List<ContextSource>();
        foreach (var (_, relative) in DirectoryTree.Walk(new DirectoryInfo(Root)))
            if (GoPathMatch.Matches(cleaned, relative))
                matches.Add(Source(Path.Combine(Root, relative), relative));
        if (matches.Count == 0) throw BerthException.Invalid($"{instruction} failed: no source files were specified");
        return matches;
    }

    /// <summary>The host path of a context path, its directories' symlinks resolved inside the context (the last component is not followed).</summary>
    public string? Locate(string relative)
    {
        var done = new List<string>();
        var pending = new Stack<string>(Clean(relative).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (done.Count > 0) done.RemoveAt(done.Count - 1);
                continue;
            }
            string candidate = Path.Combine(Root, Path.Combine([.. done, part]));
            if (pending.Count > 0 && new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++links > MaxSymlinks) throw BerthException.Invalid($"{relative}: too many levels of symbolic links");
                if (target.StartsWith('/')) done.Clear();
                foreach (string next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(next);
                continue;
            }
            done.Add(part);
        }
        return done.Count == 0 ? Root : Path.Combine(Root, Path.Combine([.. done]));
    }

    /// <summary>Go's path.Clean of a context path, without a leading "/" and never above the root.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static bool HasWildcards(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;

    private static bool Exists(string hostPath) => File.Exists(hostPath) || Directory.Exists(hostPath) || new FileInfo(hostPath).LinkTarget is not null;

    private static ContextSource Source(string host, string relative)
    {
        bool directory = Directory.Exists(host) && new DirectoryInfo(host).LinkTarget is null;
        return new ContextSource(host, relative == "." ? "." : Path.GetFileName(relative), directory);
    }
}
