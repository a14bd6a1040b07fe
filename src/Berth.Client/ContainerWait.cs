using System.Text.Json.Nodes;

namespace Berth.Client;

/// <summary>A wait registered with the daemon; <see cref="Result"/> completes when the container exits (or is removed).</summary>
public sealed class ContainerWait : IDisposable
{
    private readonly HttpResponseMessage _response;

    internal ContainerWait(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        _response = response;
        Result = ReadAsync(cancellationToken);
    }

    /// <summary>The exit code, or an exception carrying the daemon's wait error.</summary>
    public Task<long> Result { get; }

    private async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        var bytes = await _response.Content.ReadAsByteArrayAsync(cancellationToken);
        var body = Json.Parse(bytes);
        if (body.Obj("Error") is { } error && error.Str("Message") is { Length: > 0 } message)
            throw new EngineApiException(System.Net.HttpStatusCode.InternalServerError, message);
        if (body is not JsonObject)
            throw new IOException("the daemon ended the wait without an exit status");
        return body.Long("StatusCode");
    }

    public void Dispose() => _response.Dispose();
}
