using System.Text.RegularExpressions;

namespace Berth.Api.BuildContext.Remote;

/// <summary>What a build's remote context names, in docker's order: a git repository is checked before a plain URL.</summary>
public enum RemoteContextKind
{
    /// <summary>Neither: a local path (for the client) or an unrecognized remote (for the daemon).</summary>
    None,
    Git,
    Url,
}

/// <summary>
/// Docker's urlutil rules, shared by the client (which clones or downloads itself) and the daemon (POST /build?remote=):
/// http(s) is a URL; git://, git@, github.com/ or an http(s) URL ending in ".git" (with an optional "#ref:dir") is git.
/// </summary>
public static partial class RemoteContextUrl
{
    public static bool IsUrl(string text)
        => text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal);

    public static bool IsGitUrl(string text)
        => (IsUrl(text) && GitSuffix().IsMatch(text))
           || text.StartsWith("git://", StringComparison.Ordinal)
           || text.StartsWith("github.com/", StringComparison.Ordinal)
           || text.StartsWith("git@", StringComparison.Ordinal);

    public static RemoteContextKind Classify(string text)
        => IsGitUrl(text) ? RemoteContextKind.Git : IsUrl(text) ? RemoteContextKind.Url : RemoteContextKind.None;

    [GeneratedRegex(@"\.git(?:#.+)?$")]
    private static partial Regex GitSuffix();
}
