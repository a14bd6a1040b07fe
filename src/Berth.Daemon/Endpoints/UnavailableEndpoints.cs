using Berth.Daemon.Http;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// What berthd answers for features not built yet, the way Docker answers when a feature is off: swarm objects not
/// built yet as a node that is not a manager (503, Docker's message), the rest 501 naming the feature, and unknown
/// paths 404.
/// </summary>
public static class UnavailableEndpoints
{
    private const string NotManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    public static void Map(IEndpointRouteBuilder app, Func<bool> swarmActive)
    {
        // No plugin exists here, so looking one up is Docker's not-found: `docker inspect NAME` then moves on to
        // the next object type and ends with "No such object" instead of stopping at a 501.
        app.MapGet("/plugins/{name}/json", context => ErrorMapping.WriteAsync(context, 404, $"plugin \"{context.Request.RouteValues["name"]}\" not found"));
        foreach (var prefix in new[] { "/secrets", "/configs" })
        {
            // Outside a swarm Docker's answer; inside berthd's single-node swarm, what is missing is these objects.
            RequestDelegate unavailable = context => swarmActive()
                ? ErrorMapping.WriteAsync(context, 501, $"swarm {prefix[1..]} are not implemented in this version of berthd")
                : ErrorMapping.WriteAsync(context, 503, NotManager);
            app.Map(prefix, unavailable);
            app.Map(prefix + "/{**rest}", unavailable);
        }
        foreach (var (prefix, feature) in new[]
        {
            ("/build/cancel", "build cancellation"), ("/plugins", "plugins"), ("/session", "build sessions"),
            ("/grpc", "gRPC"),
        })
        {
            RequestDelegate notImplemented = context => ErrorMapping.WriteAsync(context, 501, $"{feature} is not implemented in this version of berthd");
            app.Map(prefix, notImplemented);
            app.Map(prefix + "/{**rest}", notImplemented);
        }
        app.MapFallback(context => ErrorMapping.WriteAsync(context, 404, "page not found"));
    }
}
