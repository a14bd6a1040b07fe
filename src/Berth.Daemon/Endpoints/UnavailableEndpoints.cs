using Berth.Daemon.Http;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// What berthd answers for features not built yet: 501 naming the feature, and unknown paths 404.
/// </summary>
public static class UnavailableEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (prefix, feature) in new[]
        {
            ("/build/cancel", "build cancellation"), ("/session", "build sessions"),
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
