using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>/swarm: init, join (as a worker), inspect, update, leave; unlock answers what an unlocked swarm does.</summary>
public static class SwarmEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var swarm = services.Swarm;
        app.MapGet("/swarm", context => Json.WriteAsync(context, swarm.Inspect(), ApiJson.Context.SwarmCluster));
        app.MapPost("/swarm/init", async context =>
        {
            var request = await Json.ReadAsync(context, ApiJson.Context.SwarmInitRequest) ?? new SwarmInitRequest();
            string nodeId = swarm.Init(request);
            await Json.WriteAsync(context, nodeId, ApiJson.Context.String);
        });
        app.MapPost("/swarm/join", async context =>
        {
            var request = await Json.ReadAsync(context, ApiJson.Context.SwarmJoinRequest) ?? new SwarmJoinRequest();
            await swarm.JoinAsync(request, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/swarm/leave", async context =>
        {
            await swarm.LeaveAsync(Query.Bool(context, "force"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/swarm/update", async context =>
        {
            ulong version = SwarmQuery.Version(context, "swarm");
            var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject) ?? [];
            swarm.Update(version, spec, Query.Bool(context, "rotateWorkerToken"), Query.Bool(context, "rotateManagerToken"));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapGet("/swarm/unlockkey", context => Json.WriteAsync(context, swarm.UnlockKey(), ApiJson.Context.SwarmUnlockKeyResponse));
        app.MapPost("/swarm/unlock", context =>
        {
            if (!swarm.InSwarm) throw SwarmErrors.NotInSwarm();
            throw BerthException.Invalid("swarm is not locked");
        });
        NodeEndpoints.Map(app, swarm);
        ServiceEndpoints.Map(app, services);
        TaskEndpoints.Map(app, services);
    }
}
