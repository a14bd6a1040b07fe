using System.Text.Json.Nodes;
using Berth.Client.Hijack;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>Options of <c>GET /containers/{id}/logs</c>.</summary>
public sealed record LogsOptions(bool Stdout = true, bool Stderr = true, bool Follow = false, bool Timestamps = false,
    string? Since = null, string? Until = null, string? Tail = null, bool Details = false);

/// <summary>The answer of <c>POST /containers/create</c>.</summary>
public sealed record CreatedContainer(string Id, IReadOnlyList<string> Warnings);

public sealed partial class EngineClient
{
    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    public async Task<CreatedContainer> CreateContainerAsync(JsonObject body, string? name, string? platform, CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("name", name).AddIfNotEmpty("platform", platform);
        var answer = await PostJsonAsync("/containers/create", query, body, cancellationToken);
        return new CreatedContainer(answer.Str("Id"), answer.Strings("Warnings"));
    }

    public async Task StartContainerAsync(string id, string? detachKeys, CancellationToken cancellationToken)
        => await PostJsonAsync($"/containers/{Escape(id)}/start", new QueryString().AddIfNotEmpty("detachKeys", detachKeys), null, cancellationToken);

    public async Task StopContainerAsync(string id, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("signal", signal);
        if (timeoutSeconds is { } t)
            query.Add("t", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PostJsonAsync($"/containers/{Escape(id)}/stop", query, null, cancellationToken);
    }

    public async Task RestartContainerAsync(string id, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("signal", signal);
        if (timeoutSeconds is { } t)
            query.Add("t", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PostJsonAsync($"/containers/{Escape(id)}/restart", query, null, cancellationToken);
    }

    public async Task KillContainerAsync(string id, string? signal, CancellationToken cancellationToken)
        => await PostJsonAsync($"/containers/{Escape(id)}/kill", new QueryString().AddIfNotEmpty("signal", signal), null, cancellationToken);

    public async Task RemoveContainerAsync(string id, bool force, bool volumes, bool link, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("force", force).Add("v", volumes).Add("link", link);
        await DeleteJsonAsync($"/containers/{Escape(id)}", query, cancellationToken);
    }

    public async Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken)
        => await PostJsonAsync($"/containers/{Escape(id)}/rename", new QueryString().Add("name", newName), null, cancellationToken);

    public async Task ResizeContainerAsync(string id, int height, int width, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("h", height.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("w", width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PostJsonAsync($"/containers/{Escape(id)}/resize", query, null, cancellationToken);
    }

    public async Task<JsonArray> ListContainersAsync(bool all, int limit, bool size, Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("all", all).Add("size", size);
        if (limit > 0)
            query.Add("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await GetJsonAsync("/containers/json", query, cancellationToken) as JsonArray ?? [];
    }

    public async Task<JsonObject> InspectContainerAsync(string id, bool size, CancellationToken cancellationToken)
        => await GetJsonAsync($"/containers/{Escape(id)}/json", new QueryString().Add("size", size), cancellationToken) as JsonObject
           ?? throw new InvalidDataException($"container \"{id}\": the daemon sent no inspect data");

    /// <summary>The daemon's inspect bytes, unchanged (the CLI re-indents them like docker).</summary>
    public Task<byte[]> InspectContainerRawAsync(string id, bool size, CancellationToken cancellationToken)
        => GetBytesAsync($"/containers/{Escape(id)}/json", new QueryString().Add("size", size), cancellationToken);

    /// <summary>
    /// Starts waiting for a container; returns once the daemon has registered the wait (it flushes the response
    /// headers at that point), so a start that follows cannot be missed. The task inside yields the exit code.
    /// </summary>
    public async Task<ContainerWait> WaitContainerAsync(string id, string? condition, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, $"/containers/{Escape(id)}/wait",
            new QueryString().AddIfNotEmpty("condition", condition), null, cancellationToken);
        return new ContainerWait(response, cancellationToken);
    }

    /// <summary>Attaches to a container over a hijacked connection.</summary>
    public Task<HijackedConnection> AttachContainerAsync(string id, bool stdin, bool stdout, bool stderr, bool logs,
        string? detachKeys, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("stream", true).Add("stdin", stdin).Add("stdout", stdout).Add("stderr", stderr)
            .Add("logs", logs).AddIfNotEmpty("detachKeys", detachKeys);
        return HijackAsync($"/containers/{Escape(id)}/attach", query, null, cancellationToken);
    }

    /// <summary>The log stream (multiplexed unless the container has a TTY); the caller disposes it.</summary>
    public async Task<Stream> ContainerLogsAsync(string id, LogsOptions options, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("stdout", options.Stdout).Add("stderr", options.Stderr).Add("follow", options.Follow)
            .Add("timestamps", options.Timestamps).Add("details", options.Details)
            .AddIfNotEmpty("since", options.Since).AddIfNotEmpty("until", options.Until).AddIfNotEmpty("tail", options.Tail);
        var response = await SendAsync(HttpMethod.Get, $"/containers/{Escape(id)}/logs", query, null, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public async Task<Stream> ExportContainerAsync(string id, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"/containers/{Escape(id)}/export", null, null, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public async Task<JsonObject> PruneContainersAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await PostJsonAsync("/containers/prune", query, null, cancellationToken) as JsonObject ?? [];
    }
}
