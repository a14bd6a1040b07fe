using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// What a worker node's daemon serves its manager through the node's tunnel: the tasks assigned to the node, answered
/// with what became of them (<see cref="WorkerTasks"/>).
/// </summary>
public static class SwarmAgentEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapPost(Orchestrator.AssignmentsPath, async context =>
        {
            // Only a worker runs what a manager assigns (the gate already keeps this path to the agent socket).
            if (services.Swarm.Worker is null) throw BerthException.Unavailable("this node is not a swarm worker");
            var assignment = await Json.ReadAsync(context, ApiJson.Context.SwarmAssignment)
                ?? throw BerthException.Invalid("an assignment is required");
            var report = services.Swarm.Orchestrator.Worker.Apply(assignment);
            await Json.WriteAsync(context, report, ApiJson.Context.SwarmTaskReport);
        });
    }
}
