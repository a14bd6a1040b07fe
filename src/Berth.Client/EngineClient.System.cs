using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    public async Task<JsonObject> VersionAsync(CancellationToken cancellationToken)
        => await GetJsonAsync("/version", null, cancellationToken) as JsonObject ?? [];

    public async Task<JsonObject> InfoAsync(CancellationToken cancellationToken)
        => await GetJsonAsync("/info", null, cancellationToken) as JsonObject ?? [];

    /// <summary>GET /system/df: layers, images, containers, volumes and build cache with their sizes.</summary>
    public async Task<JsonObject> DiskUsageAsync(CancellationToken cancellationToken)
        => await GetJsonAsync("/system/df", null, cancellationToken) as JsonObject ?? [];

    /// <summary>The event stream (JSON messages, one per event); ends at <paramref name="until"/> or when cancelled.</summary>
    public async Task<Stream> EventsAsync(string? since, string? until, Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("since", since).AddIfNotEmpty("until", until);
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        var response = await SendAsync(HttpMethod.Get, "/events", query, null, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }
}
