using Berth.Api;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;

namespace Berth.Daemon.Endpoints;

/// <summary>/nodes: the swarm's machines: the manager (this daemon) and the workers that joined it.</summary>
public static class NodeEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SwarmManager swarm)
    {
        app.MapGet("/nodes", context =>
        {
            var filters = SwarmQuery.Filters(context, "id", "label", "membership", "name", "node.label", "role");
            var nodes = swarm.ListNodes().Where(node =>
                filters.Match("id", id => node.ID.StartsWith(id, StringComparison.Ordinal))
                && filters.Match("name", name => node.Description.Hostname.StartsWith(name, StringComparison.Ordinal))
                && filters.Match("role", role => role == (node.Spec["Role"]?.GetValue<string>() ?? ""))
                && filters.Match("membership", membership => membership == "accepted")
                && filters.MatchLabels("label", node.Description.Engine.Labels)
                && filters.MatchLabels("node.label", SwarmManager.LabelsOf(node.Spec))).ToList();
            return Json.WriteAsync(context, nodes, ApiJson.Context.ListSwarmNode);
        });
        app.MapGet("/nodes/{id}", context => Json.WriteAsync(context, swarm.GetNode(Id(context)), ApiJson.Context.SwarmNode));
        app.MapPost("/nodes/{id}/update", async context =>
        {
            ulong version = SwarmQuery.Version(context, "node");
            var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject) ?? [];
            swarm.UpdateNode(Id(context), version, spec);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapDelete("/nodes/{id}", context =>
        {
            swarm.RemoveNode(Id(context), Query.Bool(context, "force"));
            return Task.CompletedTask;
        });
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}
