using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>Options of <c>POST /images/create</c> with <c>fromSrc</c> (docker import).</summary>
public sealed record ImportOptions(string Source, string? Repository, string? Tag, string? Message,
    IReadOnlyList<string> Changes, string? Platform);

public sealed partial class EngineClient
{
    public async Task<JsonArray> ListImagesAsync(bool all, Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("all", all);
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await GetJsonAsync("/images/json", query, cancellationToken) as JsonArray ?? [];
    }

    public async Task<JsonObject> InspectImageAsync(string name, CancellationToken cancellationToken)
        => await GetJsonAsync($"/images/{EscapeImage(name)}/json", null, cancellationToken) as JsonObject
           ?? throw new InvalidDataException($"image \"{name}\": the daemon sent no inspect data");

    public Task<byte[]> InspectImageRawAsync(string name, CancellationToken cancellationToken)
        => GetBytesAsync($"/images/{EscapeImage(name)}/json", null, cancellationToken);

    public async Task TagImageAsync(string source, string repository, string tag, CancellationToken cancellationToken)
        => await PostJsonAsync($"/images/{EscapeImage(source)}/tag",
            new QueryString().Add("repo", repository).AddIfNotEmpty("tag", tag), null, cancellationToken);

    public async Task<JsonArray> RemoveImageAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken)
        => await DeleteJsonAsync($"/images/{EscapeImage(name)}", new QueryString().Add("force", force).Add("noprune", noPrune),
            cancellationToken) as JsonArray ?? [];

    public async Task<JsonArray> ImageHistoryAsync(string name, CancellationToken cancellationToken)
        => await GetJsonAsync($"/images/{EscapeImage(name)}/history", null, cancellationToken) as JsonArray ?? [];

    /// <summary>A docker-archive tar of the named images.</summary>
    public async Task<Stream> SaveImagesAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        foreach (var name in names)
            query.Add("names", name);
        var response = await SendAsync(HttpMethod.Get, "/images/get", query, null, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Uploads an image archive; the answer is a JSON message stream.</summary>
    public async Task<Stream> LoadImagesAsync(Stream archive, bool quiet, CancellationToken cancellationToken)
    {
        var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var response = await SendAsync(HttpMethod.Post, "/images/load", new QueryString().Add("quiet", quiet), content, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Imports a filesystem tarball (from <paramref name="body"/> when the source is "-", else a URL); a JSON message stream.</summary>
    public async Task<Stream> ImportImageAsync(ImportOptions options, Stream? body, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("fromSrc", options.Source).AddIfNotEmpty("repo", options.Repository)
            .AddIfNotEmpty("tag", options.Tag).AddIfNotEmpty("message", options.Message).AddIfNotEmpty("platform", options.Platform);
        foreach (var change in options.Changes)
            query.Add("changes", change);
        HttpContent? content = null;
        if (body is not null)
        {
            content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        }
        var response = await SendAsync(HttpMethod.Post, "/images/create", query, content, cancellationToken);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Pulls an image; a JSON progress stream. <paramref name="registryAuth"/> is the base64 X-Registry-Auth value.</summary>
    public async Task<Stream> PullImageAsync(string image, string? tag, string? platform, string? registryAuth, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("fromImage", image).AddIfNotEmpty("tag", tag).AddIfNotEmpty("platform", platform);
        KeyValuePair<string, string>[]? headers = registryAuth is null ? null : [new("X-Registry-Auth", registryAuth)];
        var response = await SendAsync(HttpMethod.Post, "/images/create", query, null, cancellationToken, headers);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public async Task<JsonObject> PruneImagesAsync(Filters? filters, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (filters is { Count: > 0 })
            query.Add("filters", filters.ToJson());
        return await PostJsonAsync("/images/prune", query, null, cancellationToken) as JsonObject ?? [];
    }

    /// <summary>Image names keep their '/' and ':' in the path, as docker sends them.</summary>
    private static string EscapeImage(string name)
        => string.Join('/', name.Split('/').Select(part => Uri.EscapeDataString(part).Replace("%3A", ":", StringComparison.Ordinal)));
}
