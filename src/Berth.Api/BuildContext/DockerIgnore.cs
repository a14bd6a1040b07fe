namespace Berth.Api.BuildContext;

/// <summary>
/// A build context's .dockerignore: read as docker's client reads it, and matched as moby's pattern matcher
/// matches. The client uses it to choose what to send; the daemon, to drop the Dockerfile and the .dockerignore
/// from the context after reading them when the file lists them.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<IgnorePattern> _compiled;

    private DockerIgnore(IReadOnlyList<string> patterns)
    {
        Patterns = patterns;
        _compiled = patterns.Select(IgnorePattern.Compile).ToList();
        HasExceptions = _compiled.Any(p => p.IsException);
    }

    public static readonly DockerIgnore Empty = new([]);

    /// <summary>The patterns in file order, cleaned, relative to the context root; exceptions keep their "!".</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Whether any "!pattern" may bring back something inside an excluded directory.</summary>
    public bool HasExceptions { get; }

    /// <summary>
    /// Throws a <see cref="FormatException"/> with docker's message for a malformed pattern ("syntax error in pattern")
    /// or a lone "!" ("illegal exclusion pattern: \"!\""); docker's client shows it after "error checking context: ".
    /// </summary>
    public static DockerIgnore Parse(string content)
    {
        var patterns = new List<string>();
        string[] lines = content.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            string line = lines[index].EndsWith('\r') ? lines[index][..^1] : lines[index];
            if (index == 0 && line.StartsWith('\uFEFF')) line = line[1..];
            // Only a "#" in the very first column starts a comment: docker checks before trimming.
            if (line.StartsWith('#')) continue;
            string pattern = line.Trim();
            if (pattern.Length == 0) continue;
            bool exception = pattern[0] == '!';
            if (exception) pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            }
            patterns.Add(exception ? "!" + pattern : pattern);
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>
    /// Whether a path (forward slashes, relative to the context root, no leading "./") is left out: the last
    /// pattern that matches it or one of its parent directories decides, and an exception brings it back.
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        if (_compiled.Count == 0) return false;
        string path = GoPath.Clean(relativePath);
        string parent = GoPath.Dir(path);
        string[] parentDirectories = parent == "." ? [] : parent.Split('/');

        bool excluded = false;
        foreach (var pattern in _compiled)
        {
            // Only a pattern that can change the verdict needs looking at.
            if (pattern.IsException != excluded) continue;
            if (pattern.Matches(path) || MatchesAParent(pattern, parentDirectories)) excluded = !pattern.IsException;
        }
        return excluded;
    }

    private static bool MatchesAParent(IgnorePattern pattern, string[] parentDirectories)
    {
        for (int depth = 1; depth <= parentDirectories.Length; depth++)
        {
            if (pattern.Matches(string.Join('/', parentDirectories, 0, depth))) return true;
        }
        return false;
    }
}
