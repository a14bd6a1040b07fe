using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>GET /volumes: the reply's "Volumes" array (empty when the daemon sends null).</summary>
    public async Task<JsonArray> ListVolumesAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        var reply = await GetJsonAsync("/volumes", query, cancellationToken) as JsonObject;
        return reply?["Volumes"] as JsonArray ?? [];
    }

    public Task<byte[]> InspectVolumeRawAsync(string name, CancellationToken cancellationToken)
        => GetBytesAsync($"/volumes/{Escape(name)}", null, cancellationToken);

    /// <summary>POST /volumes/create with a body in the API's shape (Name, Driver, DriverOpts, Labels); returns the volume.</summary>
    public async Task<JsonObject> CreateVolumeAsync(JsonObject body, CancellationToken cancellationToken)
        => await PostJsonAsync("/volumes/create", null, body, cancellationToken) as JsonObject ?? [];

    public async Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (force)
            query.Add("force", "1");
        await DeleteJsonAsync($"/volumes/{Escape(name)}", query, cancellationToken);
    }

    public async Task<JsonObject> PruneVolumesAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await PostJsonAsync("/volumes/prune", query, null, cancellationToken) as JsonObject ?? [];
    }
}
