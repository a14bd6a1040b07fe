namespace Berth.Cli.Containers;

/// <summary>Docker's reference normalization, just enough to pull: "busybox" = docker.io/library/busybox, tag "latest".</summary>
public sealed record ImageReference(string Repository, string? Tag, string? Digest)
{
    public static ImageReference Parse(string text)
    {
        string? digest = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
        }
        string? tag = null;
        var colon = text.LastIndexOf(':');
        if (colon > text.LastIndexOf('/'))
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
        }
        var slash = text.IndexOf('/');
        var first = slash >= 0 ? text[..slash] : "";
        string repository;
        if (slash < 0)
            repository = "docker.io/library/" + text;
        else if (first.Contains('.') || first.Contains(':') || first == "localhost")
            repository = text;
        else
            repository = "docker.io/" + text;
        if (tag is null && digest is null)
            tag = "latest";
        return new ImageReference(repository, tag, digest);
    }

    /// <summary>The familiar form docker prints ("busybox:latest", "me/app:1").</summary>
    public string Familiar
    {
        get
        {
            var name = Repository;
            if (name.StartsWith("docker.io/library/", StringComparison.Ordinal))
                name = name["docker.io/library/".Length..];
            else if (name.StartsWith("docker.io/", StringComparison.Ordinal))
                name = name["docker.io/".Length..];
            if (Tag is not null)
                name += ":" + Tag;
            if (Digest is not null)
                name += "@" + Digest;
            return name;
        }
    }
}
