using System.Net;
using Berth.Oci.Errors;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Daemon.Http;

/// <summary>
/// daemon.json "metrics-addr" (<c>127.0.0.1:9323</c>): a plain HTTP listener that serves Prometheus metrics at
/// <c>/metrics</c> and nothing else. The API is never reachable through it.
/// </summary>
public static class MetricsListener
{
    private const string ConnectionMark = "berth.metrics";

    public static void Configure(KestrelServerOptions kestrel, string address)
    {
        var endpoint = Parse(address);
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                connection.Items[ConnectionMark] = true;
                return next(connection);
            });
        });
    }

    /// <summary>host:port, [v6]:port, or :port for every address, as Go's net.Listen takes it.</summary>
    public static IPEndPoint Parse(string address)
    {
        int colon = address.LastIndexOf(':');
        string host = colon >= 0 ? address[..colon].Trim('[', ']') : "";
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], out int port) || port is < 0 or > 65535)
            throw BerthException.Invalid($"invalid metrics-addr \"{address}\": use host:port");
        if (host is "" or "0.0.0.0") return new IPEndPoint(IPAddress.Any, port);
        if (host == "localhost") return new IPEndPoint(IPAddress.Loopback, port);
        return IPAddress.TryParse(host, out var ip)
            ? new IPEndPoint(ip, port)
            : throw BerthException.Invalid($"invalid metrics-addr \"{address}\": {host} is not an IP address");
    }

    /// <summary>Requests on the metrics listener get the metrics (GET /metrics) or Go's plain 404; never the API.</summary>
    public static IApplicationBuilder UseMetricsListener(this IApplicationBuilder app, Hosting.DaemonServices services) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionMark) != true)
        {
            await next(context);
            return;
        }
        if (context.Request.Path != "/metrics" || !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("404 page not found\n", context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(Endpoints.MetricsExposition.Render(services), context.RequestAborted);
    });
}
