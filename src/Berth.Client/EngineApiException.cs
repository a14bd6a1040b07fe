using System.Net;

namespace Berth.Client;

/// <summary>
/// The daemon answered with an error status; <see cref="Exception.Message"/> is the daemon's own <c>message</c>,
/// which the CLI prints as <c>Error response from daemon: ...</c>.
/// </summary>
public sealed class EngineApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;
}
