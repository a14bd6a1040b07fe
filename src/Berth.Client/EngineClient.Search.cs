using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>docker search: the daemon asks the registry the term names (Docker Hub otherwise).</summary>
public sealed partial class EngineClient
{
    /// <summary>
    /// GET /images/search; <paramref name="limit"/> 0 leaves the daemon's default (25). <paramref name="registryAuth"/> is
    /// the base64url X-Registry-Auth value for the registry searched. Answers the list of results.
    /// </summary>
    public async Task<JsonArray> SearchImagesAsync(string term, int limit, Filters? filters, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("term", term);
        if (limit > 0)
            query.Add("limit", limit.ToString(CultureInfo.InvariantCulture));
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        using var response = await SendAsync(HttpMethod.Get, "/images/search", query, null, cancellationToken, headers);
        return Json.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken)) as JsonArray ?? [];
    }
}
