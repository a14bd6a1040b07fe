namespace Berth.Api.BuildContext.Remote;

/// <summary>
/// A remote context (git repository or URL) could not be fetched; the message is docker's. <see cref="HttpStatus"/> is
/// the server's status when it answered with an error, which the daemon passes on as docker does (404 stays 404).
/// </summary>
public sealed class RemoteContextException(string message, int? httpStatus = null) : Exception(message)
{
    public int? HttpStatus { get; } = httpStatus;
}
