using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>/services: create, list, inspect, update, remove and logs of swarm services.</summary>
public static class ServiceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var swarm = services.Swarm;
        app.MapGet("/services", context =>
        {
            var filters = SwarmQuery.Filters(context, "id", "label", "mode", "name");
            bool status = Query.Bool(context, "status");
            var list = swarm.ListServices().Where(service =>
                filters.Match("id", id => service.ID.StartsWith(id, StringComparison.Ordinal))
                && filters.Match("name", name => ServiceSpecs.Name(service.Spec).StartsWith(name, StringComparison.Ordinal))
                && filters.Match("mode", mode => mode == ServiceSpecs.ModeName(service.Spec))
                && filters.MatchLabels("label", SwarmManager.LabelsOf(service.Spec)))
                .Select(service => status ? WithStatus(swarm, service) : service).ToList();
            foreach (string mode in filters.Get("mode"))
                if (mode is not ("global" or "replicated" or "replicated-job" or "global-job"))
                    throw BerthException.Invalid($"Invalid filter: 'mode'='{mode}'");
            return Json.WriteAsync(context, list, ApiJson.Context.ListSwarmService);
        });
        app.MapPost("/services/create", async context =>
        {
            var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject) ?? throw BerthException.Invalid("service spec missing");
            var service = swarm.CreateService(spec);
            await Json.WriteAsync(context, new ServiceCreateResponse { ID = service.ID }, ApiJson.Context.ServiceCreateResponse, StatusCodes.Status201Created);
        });
        app.MapGet("/services/{id}", context => Json.WriteAsync(context, swarm.GetService(Id(context)), ApiJson.Context.SwarmService));
        app.MapPost("/services/{id}/update", async context =>
        {
            ulong version = SwarmQuery.Version(context, "service");
            bool rollback = Query.String(context, "rollback") == "previous";
            var spec = await Json.ReadAsync(context, ApiJson.Context.JsonObject);
            swarm.UpdateService(Id(context), version, spec, rollback);
            await Json.WriteAsync(context, new ServiceUpdateResponse(), ApiJson.Context.ServiceUpdateResponse);
        });
        app.MapDelete("/services/{id}", context =>
        {
            swarm.RemoveService(Id(context));
            return Task.CompletedTask;
        });
        app.MapGet("/services/{id}/logs", context =>
        {
            var service = swarm.GetService(Id(context));
            var tasks = swarm.ListTasks().Where(t => t.ServiceID == service.ID).OrderBy(t => t.Slot).ThenBy(t => t.CreatedAt, StringComparer.Ordinal).ToList();
            return SwarmLogs.WriteAsync(context, services, tasks);
        });
    }

    private static SwarmService WithStatus(SwarmManager swarm, SwarmService service) => new()
    {
        ID = service.ID,
        Version = service.Version,
        CreatedAt = service.CreatedAt,
        UpdatedAt = service.UpdatedAt,
        Spec = service.Spec,
        PreviousSpec = service.PreviousSpec,
        Endpoint = service.Endpoint,
        UpdateStatus = service.UpdateStatus,
        ServiceStatus = swarm.StatusOf(service),
        JobStatus = service.JobStatus,
    };

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}
