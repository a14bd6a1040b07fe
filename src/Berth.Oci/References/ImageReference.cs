using System.Text.RegularExpressions;
using Berth.Oci.Digests;
using Berth.Oci.Errors;

namespace Berth.Oci.References;

/// <summary>
/// A normalized image reference as Docker understands it: <c>busybox</c> is <c>docker.io/library/busybox:latest</c>,
/// <c>host:5000/ns/name@sha256:…</c> keeps its registry. <see cref="FamiliarName"/> is what Docker prints.
/// </summary>
public sealed partial record ImageReference(string Domain, string Path, string? Tag, Digest? Digest)
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";

    /// <summary>The repository including its registry: <c>docker.io/library/busybox</c>.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>The repository as Docker shows it: <c>busybox</c>, <c>user/app</c>, <c>localhost:5000/app</c>.</summary>
    public string FamiliarRepository =>
        Domain == DefaultDomain ? (Path.StartsWith("library/", StringComparison.Ordinal) && Path.IndexOf('/', 8) < 0 ? Path[8..] : Path) : Repository;

    /// <summary>Full canonical string: repository plus <c>:tag</c> and/or <c>@digest</c>.</summary>
    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>As Docker prints it: <c>busybox:latest</c>.</summary>
    public string FamiliarString => FamiliarRepository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    public ImageReference WithoutTagOrDigest() => this with { Tag = null, Digest = null };

    /// <summary>Parses like Docker's ParseNormalizedNamed, adding the <c>latest</c> tag when neither tag nor digest is given.</summary>
    public static ImageReference Parse(string text) => ParseNamed(text, addLatest: true);

    /// <summary>Parses a repository with optional tag/digest, without adding a default tag.</summary>
    public static ImageReference ParseNamed(string text, bool addLatest)
    {
        if (!TryParse(text, addLatest, out var reference, out var error))
            throw BerthException.Invalid(error);
        return reference;
    }

    public static bool TryParse(string text, bool addLatest, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "invalid reference format";
        if (string.IsNullOrEmpty(text) || text.Length > 255 + 150) return false;

        string remainder = text;
        Digest? digest = null;
        int at = remainder.IndexOf('@');
        if (at >= 0)
        {
            if (!Digests.Digest.TryParse(remainder[(at + 1)..], out var parsed)) return false;
            digest = parsed;
            remainder = remainder[..at];
        }

        string? tag = null;
        int lastColon = remainder.LastIndexOf(':');
        if (lastColon >= 0 && remainder.IndexOf('/', lastColon) < 0)
        {
            tag = remainder[(lastColon + 1)..];
            if (!TagPattern().IsMatch(tag)) return false;
            remainder = remainder[..lastColon];
        }

        string domain, path;
        int slash = remainder.IndexOf('/');
        string first = slash < 0 ? remainder : remainder[..slash];
        if (slash >= 0 && (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsAsciiLetterUpper)))
        {
            domain = first;
            path = remainder[(slash + 1)..];
            if (!DomainPattern().IsMatch(domain)) return false;
        }
        else
        {
            domain = DefaultDomain;
            path = remainder;
        }
        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/')) path = "library/" + path;

        if (path.Any(char.IsAsciiLetterUpper))
        {
            error = $"invalid reference format: repository name ({path}) must be lowercase";
            return false;
        }
        if (!PathPattern().IsMatch(path)) return false;
        if (domain.Length + 1 + path.Length > 255)
        {
            error = "invalid reference format: repository name must not be more than 255 characters";
            return false;
        }
        if (tag is null && digest is null && addLatest) tag = DefaultTag;
        reference = new ImageReference(domain, path, tag, digest);
        error = "";
        return true;
    }

    /// <summary>True for a 64-hex string or a <c>sha256:</c> digest, which Docker treats as an image ID, never a name.</summary>
    public static bool LooksLikeFullId(string text) =>
        FullIdPattern().IsMatch(text) || (text.StartsWith("sha256:", StringComparison.Ordinal) && FullIdPattern().IsMatch(text[7..]));

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex FullIdPattern();
}
