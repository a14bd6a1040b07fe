using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Berth.Api;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>Swarm mode: the cluster, nodes, services, tasks, secrets and configs (as docker's client calls them).</summary>
public sealed partial class EngineClient
{
    // --- swarm ---

    public async Task<SwarmCluster> InspectSwarmAsync(CancellationToken cancellationToken)
        => Decode(await GetBytesAsync("/swarm", null, cancellationToken), ApiJsonContext.Default.SwarmCluster);

    /// <summary>POST /swarm/init; returns the new node's ID (the daemon answers with a JSON string).</summary>
    /// <summary>The body is docker's InitRequest as a JsonObject (it carries AutoLockManagers and Availability too).</summary>
    public async Task<string> InitSwarmAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("/swarm/init", null, body, cancellationToken);
        return reply is JsonValue value && value.TryGetValue<string>(out var id) ? id : "";
    }

    /// <summary>The body is docker's JoinRequest as a JsonObject (it carries Availability too).</summary>
    public async Task JoinSwarmAsync(JsonObject body, CancellationToken cancellationToken)
        => await PostJsonAsync("/swarm/join", null, body, cancellationToken);

    public async Task LeaveSwarmAsync(bool force, CancellationToken cancellationToken)
        => await PostJsonAsync("/swarm/leave", new QueryString().Add("force", force ? "true" : null), null, cancellationToken);

    /// <summary>POST /swarm/update?version=N with the rotate flags docker's client always sends.</summary>
    public async Task UpdateSwarmAsync(ulong version, JsonObject spec, bool rotateWorkerToken, bool rotateManagerToken, bool rotateUnlockKey,
        CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("rotateWorkerToken", rotateWorkerToken ? "true" : "false")
            .Add("rotateManagerToken", rotateManagerToken ? "true" : "false")
            .Add("rotateManagerUnlockKey", rotateUnlockKey ? "true" : "false");
        await PostJsonAsync("/swarm/update", query, spec, cancellationToken);
    }

    public async Task<SwarmUnlockKeyResponse> GetUnlockKeyAsync(CancellationToken cancellationToken)
        => Decode(await GetBytesAsync("/swarm/unlockkey", null, cancellationToken), ApiJsonContext.Default.SwarmUnlockKeyResponse);

    public async Task UnlockSwarmAsync(string key, CancellationToken cancellationToken)
        => await PostJsonAsync("/swarm/unlock", null, new JsonObject { ["UnlockKey"] = key }, cancellationToken);

    // --- nodes ---

    public async Task<List<SwarmNode>> ListNodesAsync(Filters? filters, CancellationToken cancellationToken)
        => Decode(await GetBytesAsync("/nodes", FilterQuery(filters), cancellationToken), ApiJsonContext.Default.ListSwarmNode);

    public async Task<SwarmNode> InspectNodeAsync(string id, CancellationToken cancellationToken)
        => Decode(await InspectNodeRawAsync(id, cancellationToken), ApiJsonContext.Default.SwarmNode);

    public Task<byte[]> InspectNodeRawAsync(string id, CancellationToken cancellationToken)
        => GetBytesAsync($"/nodes/{Escape(id)}", null, cancellationToken);

    public async Task UpdateNodeAsync(string id, ulong version, JsonObject spec, CancellationToken cancellationToken)
        => await PostJsonAsync($"/nodes/{Escape(id)}/update", VersionQuery(version), spec, cancellationToken);

    public async Task RemoveNodeAsync(string id, bool force, CancellationToken cancellationToken)
        => await DeleteJsonAsync($"/nodes/{Escape(id)}", new QueryString().Add("force", force ? "true" : null), cancellationToken);

    // --- services ---

    public async Task<List<SwarmService>> ListServicesAsync(Filters? filters, bool status, CancellationToken cancellationToken)
    {
        var query = FilterQuery(filters);
        if (status)
            query.Add("status", "true");
        return Decode(await GetBytesAsync("/services", query, cancellationToken), ApiJsonContext.Default.ListSwarmService);
    }

    public async Task<SwarmService> InspectServiceAsync(string id, CancellationToken cancellationToken)
        => Decode(await InspectServiceRawAsync(id, cancellationToken), ApiJsonContext.Default.SwarmService);

    /// <summary>GET /services/{id}?insertDefaults=...: docker's inspect asks for the defaults filled in, update and the progress do not.</summary>
    public Task<byte[]> InspectServiceRawAsync(string id, CancellationToken cancellationToken, bool insertDefaults = false)
        => GetBytesAsync($"/services/{Escape(id)}", new QueryString().Add("insertDefaults", insertDefaults ? "true" : "false"), cancellationToken);

    public async Task<ServiceCreateResponse> CreateServiceAsync(JsonObject spec, CancellationToken cancellationToken)
    {
        var reply = await PostJsonAsync("/services/create", null, spec, cancellationToken);
        return reply is null ? new ServiceCreateResponse() : reply.Deserialize(ApiJsonContext.Default.ServiceCreateResponse) ?? new();
    }

    /// <summary>POST /services/{id}/update?version=N[&amp;registryAuthFrom=...][&amp;rollback=previous].</summary>
    public async Task<ServiceUpdateResponse> UpdateServiceAsync(string id, ulong version, JsonObject spec, string? registryAuthFrom, bool rollback,
        CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("registryAuthFrom", registryAuthFrom);
        if (rollback)
            query.Add("rollback", "previous");
        query.Add("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var reply = await PostJsonAsync($"/services/{Escape(id)}/update", query, spec, cancellationToken);
        return reply is null ? new ServiceUpdateResponse() : reply.Deserialize(ApiJsonContext.Default.ServiceUpdateResponse) ?? new();
    }

    public async Task RemoveServiceAsync(string id, CancellationToken cancellationToken)
        => await DeleteJsonAsync($"/services/{Escape(id)}", null, cancellationToken);

    /// <summary>GET /services/{id}/logs or /tasks/{id}/logs (<paramref name="resource"/> "services" or "tasks"); the caller disposes it.</summary>
    public async Task<Stream> SwarmLogsAsync(string resource, string id, LogsOptions options, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("stdout", options.Stdout).Add("stderr", options.Stderr).Add("follow", options.Follow)
            .Add("timestamps", options.Timestamps).Add("details", options.Details)
            .AddIfNotEmpty("since", options.Since).AddIfNotEmpty("tail", options.Tail);
        var response = await SendAsync(HttpMethod.Get, $"/{resource}/{Escape(id)}/logs", query, null, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    // --- tasks ---

    public async Task<List<SwarmTask>> ListTasksAsync(Filters? filters, CancellationToken cancellationToken)
        => Decode(await GetBytesAsync("/tasks", FilterQuery(filters), cancellationToken), ApiJsonContext.Default.ListSwarmTask);

    public async Task<SwarmTask> InspectTaskAsync(string id, CancellationToken cancellationToken)
        => Decode(await GetBytesAsync($"/tasks/{Escape(id)}", null, cancellationToken), ApiJsonContext.Default.SwarmTask);

    // --- secrets and configs (the same shape under /secrets and /configs) ---

    public async Task<List<SwarmSecret>> ListSecretsAsync(string kind, Filters? filters, CancellationToken cancellationToken)
        => Decode(await GetBytesAsync($"/{kind}", FilterQuery(filters), cancellationToken), ApiJsonContext.Default.ListSwarmSecret);

    public Task<byte[]> InspectSecretRawAsync(string kind, string id, CancellationToken cancellationToken)
        => GetBytesAsync($"/{kind}/{Escape(id)}", null, cancellationToken);

    public async Task<SwarmSecret> InspectSecretAsync(string kind, string id, CancellationToken cancellationToken)
        => Decode(await InspectSecretRawAsync(kind, id, cancellationToken), ApiJsonContext.Default.SwarmSecret);

    /// <summary>POST /secrets/create or /configs/create; returns the new ID.</summary>
    public async Task<string> CreateSecretAsync(string kind, JsonObject spec, CancellationToken cancellationToken)
        => (await PostJsonAsync($"/{kind}/create", null, spec, cancellationToken)).Str("ID");

    /// <summary>POST /secrets/{id}/update or /configs/{id}/update at the object's version (swarm changes only labels).</summary>
    public async Task UpdateSecretAsync(string kind, string id, ulong version, JsonObject spec, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PostJsonAsync($"/{kind}/{Escape(id)}/update", query, spec, cancellationToken);
    }

    public async Task RemoveSecretAsync(string kind, string id, CancellationToken cancellationToken)
        => await DeleteJsonAsync($"/{kind}/{Escape(id)}", null, cancellationToken);

    private static QueryString FilterQuery(Filters? filters)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return query;
    }

    private static QueryString VersionQuery(ulong version)
        => new QueryString().Add("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static T Decode<T>(byte[] body, JsonTypeInfo<T> type) where T : new()
        => body.Length == 0 ? new T() : JsonSerializer.Deserialize(body, type) ?? new T();
}
