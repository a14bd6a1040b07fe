using Berth.Engine.Distribution.Endpoints;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Search;

/// <summary>
/// A <c>docker search</c> term split as Docker's daemon splits it: a first component that looks like a host
/// (holds '.' or ':', or is <c>localhost</c>) names the registry to ask, anything else is searched on Docker Hub.
/// </summary>
/// <param name="Index">The registry (<c>localhost:5000</c>), or <see cref="DockerHub.ReferenceDomain"/>.</param>
/// <param name="Query">What is sent as <c>q</c>.</param>
public sealed record SearchTerm(string Index, string Query)
{
    public bool IsDockerHub => Index == DockerHub.ReferenceDomain;

    public static SearchTerm Parse(string term)
    {
        // Docker's errors here are plain (500), not invalid-parameter ones.
        if (term.Contains("://", StringComparison.Ordinal))
            throw BerthException.Internal("Invalid repository name (ex: \"registry.domain.tld/myrepos\")");
        int slash = term.IndexOf('/');
        string first = slash < 0 ? "" : term[..slash];
        if (slash < 0 || (!first.Contains('.') && !first.Contains(':') && first != "localhost"))
            return OnHub(term);
        string remote = term[(slash + 1)..];
        if (DockerHub.IsHub(first)) return OnHub(remote);
        if (first.StartsWith('-') || first.EndsWith('-'))
            throw BerthException.Internal($"invalid index name ({first}). Cannot begin or end with a hyphen");
        return new SearchTerm(first, remote);
    }

    // Official images are found under their short name (library/busybox is stored as busybox).
    private static SearchTerm OnHub(string remote) =>
        new(DockerHub.ReferenceDomain, remote.StartsWith("library/", StringComparison.Ordinal) ? remote["library/".Length..] : remote);
}
