using System.Globalization;
using Berth.Api;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// /secrets and /configs: list, create, inspect, update (labels only) and remove. The two are the same five endpoints
/// over two kinds of swarm object; outside a swarm each answers Docker's 503.
/// </summary>
public static class SecretEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SwarmManager swarm)
    {
        foreach (var kind in new[] { SwarmObjectKind.Secret, SwarmObjectKind.Config })
        {
            string prefix = "/" + SwarmSecrets.Word(kind) + "s";
            app.MapGet(prefix, context =>
            {
                var filters = SwarmQuery.Filters(context, "id", "label", "name", "names");
                var list = swarm.ListSecrets(kind).Where(item =>
                    filters.Match("id", id => item.ID.StartsWith(id, StringComparison.Ordinal))
                    && filters.Match("name", name => SwarmSecrets.NameOf(item).StartsWith(name, StringComparison.Ordinal))
                    && filters.Match("names", name => SwarmSecrets.NameOf(item) == name)
                    && filters.MatchLabels("label", SwarmManager.LabelsOf(item.Spec))).ToList();
                return Json.WriteAsync(context, list, ApiJson.Context.ListSwarmSecret);
            });
            app.MapPost(prefix + "/create", async context =>
            {
                var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject) ?? [];
                string id = swarm.CreateSecret(kind, spec);
                await Json.WriteAsync(context, new ServiceCreateResponse { ID = id }, ApiJson.Context.ServiceCreateResponse, StatusCodes.Status201Created);
            });
            app.MapGet(prefix + "/{id}", context => Json.WriteAsync(context, swarm.GetSecret(kind, Id(context)), ApiJson.Context.SwarmSecret));
            app.MapPost(prefix + "/{id}/update", async context =>
            {
                // dockerd words this one without the value, unlike a service's version.
                string text = Query.String(context, "version") ?? "";
                if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong version))
                    throw BerthException.Invalid($"invalid {SwarmSecrets.Word(kind)} version");
                var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject) ?? [];
                swarm.UpdateSecret(kind, Id(context), version, spec);
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            app.MapDelete(prefix + "/{id}", context =>
            {
                swarm.RemoveSecret(kind, Id(context));
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            });
        }
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}
