using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>Registry operations the daemon performs for the client: push, login check and distribution inspect.</summary>
public sealed partial class EngineClient
{
    /// <summary>
    /// Pushes <paramref name="name"/> (every local tag of the repository when <paramref name="tag"/> is null); a JSON
    /// progress stream. <paramref name="registryAuth"/> is the base64url X-Registry-Auth value.
    /// </summary>
    public async Task<Stream> PushImageAsync(string name, string? tag, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString().AddIfNotEmpty("tag", tag);
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", registryAuth ?? "e30=")];
        var response = await SendAsync(HttpMethod.Post, "/images/" + EscapeImage(name) + "/push", query, null, cancellationToken, headers);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>POST /auth: the daemon checks the credentials against the registry; returns its answer (Status, IdentityToken).</summary>
    public async Task<JsonObject> LoginAsync(string username, string password, string serverAddress, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password, ["serveraddress"] = serverAddress };
        return await PostJsonAsync("/auth", null, body, cancellationToken) as JsonObject ?? [];
    }

    /// <summary>GET /distribution/{name}/json: the manifest descriptor and platforms a reference resolves to.</summary>
    public async Task<JsonObject> DistributionInspectAsync(string name, string? registryAuth, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[]? headers = registryAuth is null ? null : [new("X-Registry-Auth", registryAuth)];
        var response = await SendAsync(HttpMethod.Get, "/distribution/" + EscapeImage(name) + "/json", null, null, cancellationToken, headers);
        using (response)
            return Json.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken)) as JsonObject ?? [];
    }
}
