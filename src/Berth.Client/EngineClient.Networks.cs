using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    public async Task<JsonArray> ListNetworksAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await GetJsonAsync("/networks", query, cancellationToken) as JsonArray ?? [];
    }

    public Task<byte[]> InspectNetworkRawAsync(string id, CancellationToken cancellationToken)
        => GetBytesAsync($"/networks/{Escape(id)}", null, cancellationToken);

    /// <summary>POST /networks/create with a body in the API's shape; returns the new network's ID.</summary>
    public async Task<string> CreateNetworkAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("/networks/create", null, body, cancellationToken) as JsonObject;
        return reply?["Id"]?.GetValue<string>() ?? "";
    }

    public async Task RemoveNetworkAsync(string id, CancellationToken cancellationToken)
        => await DeleteJsonAsync($"/networks/{Escape(id)}", null, cancellationToken);

    public async Task<JsonObject> PruneNetworksAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await PostJsonAsync("/networks/prune", query, null, cancellationToken) as JsonObject ?? [];
    }

    public async Task ConnectNetworkAsync(string network, string container, JsonObject? endpointConfig, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["Container"] = container };
        if (endpointConfig is not null)
            body["EndpointConfig"] = endpointConfig;
        await PostJsonAsync($"/networks/{Escape(network)}/connect", null, body, cancellationToken);
    }

    public async Task DisconnectNetworkAsync(string network, string container, bool force, CancellationToken cancellationToken)
        => await PostJsonAsync($"/networks/{Escape(network)}/disconnect", null, new JsonObject { ["Container"] = container, ["Force"] = force }, cancellationToken);
}
