namespace Berth.Registry.Http;

public enum RouteKind
{
    NotFound,
    Base,
    Catalog,
    Search,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,
    Token,
    Metrics,
    Health,
}

/// <summary>A parsed request path. <see cref="Name"/> is the repository name as written (validated by the handler).</summary>
public readonly record struct Route(RouteKind Kind, string Name = "", string Reference = "")
{
    /// <summary>
    /// Splits <c>/v2/&lt;name&gt;/&lt;resource&gt;...</c>. Names have any number of components, so the resource is
    /// recognised from the end of the path; a name never contains "manifests" etc. as a whole component followed by
    /// the right number of segments, except in ways the grammar makes ambiguous anyway (docker-registry reads them the same).
    /// </summary>
    public static Route Parse(string path)
    {
        if (!path.StartsWith("/v2", StringComparison.Ordinal))
            return path switch
            {
                "/token" or "/auth/token" => new Route(RouteKind.Token),
                "/metrics" => new Route(RouteKind.Metrics),
                "/healthz" or "/debug/health" or "/" => new Route(RouteKind.Health),
                "/v1/search" => new Route(RouteKind.Search),
                _ => default,
            };
        if (path is "/v2" or "/v2/") return new Route(RouteKind.Base);
        if (path[3] != '/') return default;
        if (path is "/v2/_catalog") return new Route(RouteKind.Catalog);
        string rest = path[4..];

        if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
            return new Route(RouteKind.Tags, rest[..^"/tags/list".Length]);
        if (rest.EndsWith("/blobs/uploads/", StringComparison.Ordinal))
            return new Route(RouteKind.UploadStart, rest[..^"/blobs/uploads/".Length]);
        if (rest.EndsWith("/blobs/uploads", StringComparison.Ordinal))
            return new Route(RouteKind.UploadStart, rest[..^"/blobs/uploads".Length]);

        int last = rest.LastIndexOf('/');
        if (last <= 0 || last == rest.Length - 1) return default;
        string reference = rest[(last + 1)..];
        string head = rest[..last];
        int previous = head.LastIndexOf('/');
        if (previous <= 0) return default;
        string resource = head[(previous + 1)..];
        string name = head[..previous];
        switch (resource)
        {
            case "manifests": return new Route(RouteKind.Manifest, name, reference);
            case "blobs": return new Route(RouteKind.Blob, name, reference);
            case "referrers": return new Route(RouteKind.Referrers, name, reference);
            case "uploads" when name.EndsWith("/blobs", StringComparison.Ordinal):
                return new Route(RouteKind.Upload, name[..^"/blobs".Length], reference);
            default: return default;
        }
    }
}
