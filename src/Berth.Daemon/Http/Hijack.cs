using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Http;

/// <summary>
/// Docker's hijacked connections: with <c>Upgrade: tcp</c> the response is 101 and the socket becomes a raw duplex
/// stream; without it (older clients) the response is 200 and only the output direction is available.
/// </summary>
public static class Hijack
{
    public const string RawStream = "application/vnd.docker.raw-stream";
    public const string MultiplexedStream = "application/vnd.docker.multiplexed-stream";

    public static string ContentTypeFor(HttpContext context, bool tty) =>
        !tty && RequestVersion.AtLeast(context, "1.42") ? MultiplexedStream : RawStream;

    /// <summary>
    /// Answers the request and returns the duplex stream plus whether the client can send (stdin). The client's
    /// half-close is reported by <see cref="ClientFinished"/>, not by the stream (see <see cref="HalfCloseFeature"/>).
    /// </summary>
    public static async Task<(Stream Stream, bool CanRead)> AcceptAsync(HttpContext context, string contentType)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var halfClose = context.Features.Get<HalfCloseFeature>();
        // Taken over (not upgraded by Kestrel) when Kestrel will not upgrade a request with a body (docker's exec start
        // sends JSON), and when the shim may then write the output straight to the socket.
        if (WantsUpgrade(context.Request) && halfClose is not null && (upgrade is { IsUpgradableRequest: false } || halfClose.CanWriteDirectly))
        {
            string head = $"HTTP/1.1 101 UPGRADED\r\nContent-Type: {contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            return (await halfClose.TakeOverAsync(head, context.RequestAborted), true);
        }
        context.Response.Headers.ContentType = contentType;
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Features.Get<HalfCloseFeature>()?.HideClientFin();
            context.Response.Headers.Upgrade = "tcp";
            context.Response.Headers.Connection = "Upgrade";
            var stream = await upgrade.UpgradeAsync();
            return (stream, true);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        return (context.Response.Body, false);
    }

    private static bool WantsUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0 && request.Headers.Connection.Any(v => v?.Contains("upgrade", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Completes when the client of a hijacked connection has sent all it will send.</summary>
    public static Task ClientFinished(HttpContext context) =>
        context.Features.Get<HalfCloseFeature>()?.ClientFinished ?? Task.Delay(Timeout.Infinite, context.RequestAborted);
}
