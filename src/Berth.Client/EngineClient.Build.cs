using System.Net.Http.Headers;
using Berth.Client.Build;

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
}
