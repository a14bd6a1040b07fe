using System.Text.Json;
using Berth.Api;
using Berth.Daemon.Http;
using Berth.Engine.Containers;

namespace Berth.Daemon.Endpoints;

/// <summary>GET /containers/{id}/stats (one reading, or one per second) and POST /containers/{id}/update.</summary>
public static class StatsEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ContainerService containers)
    {
        app.MapGet("/containers/{id}/stats", context => Stats(context, containers));
        app.MapPost("/containers/{id}/update", async context =>
        {
            var request = await Json.ReadAsync(context, ApiJson.Context.ContainerUpdateRequest) ?? new ContainerUpdateRequest();
            var warnings = await containers.UpdateAsync(Id(context), request, context.RequestAborted);
            // Docker sends null, not [], when there is nothing to warn about.
            await Json.WriteAsync(context, new ContainerUpdateResponse { Warnings = warnings.Count == 0 ? null : [.. warnings] }, ApiJson.Context.ContainerUpdateResponse);
        });
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static async Task Stats(HttpContext context, ContainerService containers)
    {
        var container = containers.Get(Id(context));
        bool stream = Query.Bool(context, "stream", fallback: true);
        if (!stream)
        {
            bool oneShot = RequestVersion.AtLeast(context, "1.41") && Query.Bool(context, "one-shot");
            var reading = await containers.ReadStatsAsync(container.Id, oneShot, context.RequestAborted);
            await Json.WriteAsync(context, StatsMapping.ToApi(container, reading), ApiJson.Context.ContainerStats);
            return;
        }
        context.Response.ContentType = "application/json";
        try
        {
            await foreach (var reading in containers.StreamStatsAsync(container.Id, context.RequestAborted))
            {
                await Json.WriteLineAsync(context.Response.Body, StatsMapping.ToApi(container, reading), ApiJson.Context.ContainerStats, Json.Lf, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }
}
