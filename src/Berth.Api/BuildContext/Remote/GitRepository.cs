namespace Berth.Api.BuildContext.Remote;

/// <summary>
/// A git build context split as docker splits it: the repository to fetch, and from its "#ref:subdir" fragment the ref
/// (master when none is given) and the directory inside the checkout that is the context.
/// </summary>
public sealed record GitRepository(string Remote, string Ref, string Subdirectory)
{
    public const string DefaultRef = "master";

    /// <summary>Throws <see cref="RemoteContextException"/> for an unusable URL or a ref that git would read as an option.</summary>
    public static GitRepository Parse(string url)
    {
        // A bare "github.com/owner/repo" is fetched over https, as docker does.
        if (!IsGitTransport(url)) url = "https://" + url;
        string remote, fragment;
        if (url.StartsWith("git@", StringComparison.Ordinal))
        {
            // scp-like syntax is no URL: only the fragment is cut off.
            int hash = url.IndexOf('#');
            (remote, fragment) = hash < 0 ? (url, "") : (url[..hash], url[(hash + 1)..]);
        }
        else
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                throw new RemoteContextException($"parse \"{url}\": invalid URL");
            int hash = url.IndexOf('#');
            (remote, fragment) = hash < 0 ? (url, "") : (url[..hash], Uri.UnescapeDataString(url[(hash + 1)..]));
        }
        int colon = fragment.IndexOf(':');
        string gitRef = colon < 0 ? fragment : fragment[..colon];
        string subdirectory = colon < 0 ? "" : fragment[(colon + 1)..];
        if (gitRef.Length == 0) gitRef = DefaultRef;
        if (gitRef.StartsWith('-'))
            throw new RemoteContextException($"invalid refspec: {gitRef}");
        return new GitRepository(remote, gitRef, subdirectory);
    }

    public string Scheme => Remote.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? Remote[..at] : "";

    private static bool IsGitTransport(string url)
    {
        if (url.StartsWith("git@", StringComparison.Ordinal)) return true;
        int at = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && url[..at] is "git" or "http" or "https" or "ssh";
    }
}
