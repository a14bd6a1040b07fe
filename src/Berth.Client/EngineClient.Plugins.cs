using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    public async Task<JsonArray> ListPluginsAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await GetJsonAsync("/plugins", query, cancellationToken) as JsonArray ?? [];
    }

    public Task<byte[]> InspectPluginRawAsync(string name, CancellationToken cancellationToken)
        => GetBytesAsync($"/plugins/{Escape(name)}/json", null, cancellationToken);

    public async Task RemovePluginAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (force)
            query.Add("force", "1");
        await DeleteJsonAsync($"/plugins/{Escape(name)}", query, cancellationToken);
    }

    public async Task EnablePluginAsync(string name, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PostJsonAsync($"/plugins/{Escape(name)}/enable", query, null, cancellationToken);
    }

    public async Task DisablePluginAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (force)
            query.Add("force", "1");
        await PostJsonAsync($"/plugins/{Escape(name)}/disable", query, null, cancellationToken);
    }

    /// <summary>POST /plugins/{name}/set with the KEY=VALUE settings as a JSON array of strings.</summary>
    public async Task SetPluginAsync(string name, IEnumerable<string> settings, CancellationToken cancellationToken)
        => await PostJsonAsync($"/plugins/{Escape(name)}/set", null, new JsonArray(settings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()), cancellationToken);

    /// <summary>GET /plugins/privileges: what installing <paramref name="remote"/> would grant it (the first step of an install).</summary>
    public async Task<JsonArray> PluginPrivilegesAsync(string remote, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("remote", remote);
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        using var response = await SendAsync(HttpMethod.Get, "/plugins/privileges", query, null, cancellationToken, headers);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonArray ?? [];
    }

    /// <summary>POST /plugins/{name}/push: a JSON progress stream, as an image push.</summary>
    public async Task<Stream> PushPluginAsync(string name, string? registryAuth, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        var response = await SendAsync(HttpMethod.Post, $"/plugins/{Escape(name)}/push", null, null, cancellationToken, headers);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>
    /// POST /plugins/pull: installs <paramref name="remote"/> under <paramref name="name"/> (the remote's name when
    /// empty) granting <paramref name="privileges"/> (as GET /plugins/privileges listed them). Returns the JSON
    /// progress stream and the name the daemon gave the plugin (its Docker-Plugin-Name header).
    /// </summary>
    public async Task<(Stream Progress, string Name)> PullPluginAsync(string remote, string name, JsonArray privileges, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("name", name);
        query.Add("remote", remote);
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        var response = await SendAsync(HttpMethod.Post, "/plugins/pull", query, JsonBody(privileges), cancellationToken, headers);
        string pluginName = response.Headers.TryGetValues("Docker-Plugin-Name", out var values) ? values.FirstOrDefault() ?? name : name;
        return (await response.Content.ReadAsStreamAsync(cancellationToken), pluginName);
    }

    /// <summary>POST /plugins/{name}/upgrade: a JSON progress stream, as a pull.</summary>
    public async Task<Stream> UpgradePluginAsync(string name, string remote, JsonArray privileges, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("remote", remote);
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        var response = await SendAsync(HttpMethod.Post, $"/plugins/{Escape(name)}/upgrade", query, JsonBody(privileges), cancellationToken, headers);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>POST /plugins/create: <paramref name="archive"/> is the tar of a plugin directory (config.json and rootfs/).</summary>
    public async Task CreatePluginAsync(string name, Stream archive, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        query.Add("name", name);
        var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await SendAsync(HttpMethod.Post, "/plugins/create", query, content, cancellationToken);
    }
}
