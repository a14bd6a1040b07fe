using Berth.Daemon.Http;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// What berthd answers for features not built yet: 501 naming the feature, and unknown paths 404.
/// </summary>
public static class UnavailableEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // No plugin exists here, so looking one up is Docker's not-found: `docker inspect NAME` then moves on to
        // the next object type and ends with "No such object" instead of stopping at a 501.
        app.MapGet("/plugins/{name}/json", context => ErrorMapping.WriteAsync(context, 404, $"plugin \"{context.Request.RouteValues["name"]}\" not found"));
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
