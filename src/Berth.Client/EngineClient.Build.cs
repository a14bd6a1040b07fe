using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.Client.Build;
using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>
    /// <c>POST /build</c>: <paramref name="writeContext"/> writes the context tar onto the request as it goes;
    /// <paramref name="registryConfig"/> is the base64url X-Registry-Config value (every stored login, for FROM pulls).
    /// The answer is a JSON message stream.
    /// </summary>
    public async Task<Stream> BuildImageAsync(ImageBuildOptions options, Func<Stream, CancellationToken, Task> writeContext,
        string registryConfig, CancellationToken cancellationToken)
    {
        var content = new StreamingContent(writeContext);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        KeyValuePair<string, string>[] headers = [new("X-Registry-Config", registryConfig)];
        var response = await SendAsync(HttpMethod.Post, "/build", options.ToQuery(), content, cancellationToken, headers);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>
    /// <c>POST /build/prune</c> with the query the docker CLI sends: <c>filters</c> always (empty when none),
    /// <c>all</c> and <c>keep-storage</c> only when set.
    /// </summary>
    public async Task<JsonObject> PruneBuildCacheAsync(bool all, Filters? filters, long keepStorage, CancellationToken cancellationToken)
    {
        var query = new QueryString()
            .Add("all", all)
            .Add("filters", filters is { Count: > 0 } ? filters.ToJson() : "");
        if (keepStorage != 0)
            query.Add("keep-storage", keepStorage.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await PostJsonAsync("/build/prune", query, null, cancellationToken) as JsonObject ?? [];
    }
}
