using Berth.Daemon.Http;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// What berthd answers for features not built yet, the way Docker answers when a feature is off: swarm as a node that is
/// not in a swarm (503, Docker's messages), the rest 501 naming the feature, and unknown paths 404.
/// </summary>
public static class UnavailableEndpoints
{
    private const string NotManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    public static void Map(IEndpointRouteBuilder app)
    {
        // No plugin exists here, so looking one up is Docker's not-found: `docker inspect NAME` then moves on to
        // the next object type and ends with "No such object" instead of stopping at a 501.
        app.MapGet("/plugins/{name}/json", context => ErrorMapping.WriteAsync(context, 404, $"plugin \"{context.Request.RouteValues["name"]}\" not found"));
        app.MapPost("/swarm/leave", context => ErrorMapping.WriteAsync(context, 503, "This node is not part of a swarm"));
        foreach (var prefix in new[] { "/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs" })
        {
            app.Map(prefix, context => ErrorMapping.WriteAsync(context, 503, NotManager));
            app.Map(prefix + "/{**rest}", context => ErrorMapping.WriteAsync(context, 503, NotManager));
        }
        foreach (var (prefix, feature) in new[]
        {
            ("/build/cancel", "build cancellation"), ("/plugins", "plugins"), ("/session", "build sessions"),
            ("/grpc", "gRPC"),
            ("/images/search", "registry search"),
        })
        {
            RequestDelegate notImplemented = context => ErrorMapping.WriteAsync(context, 501, $"{feature} is not implemented in this version of berthd");
            app.Map(prefix, notImplemented);
            app.Map(prefix + "/{**rest}", notImplemented);
        }
        app.MapFallback(context => ErrorMapping.WriteAsync(context, 404, "page not found"));
    }
}
