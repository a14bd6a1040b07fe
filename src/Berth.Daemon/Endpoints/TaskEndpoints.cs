using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>/tasks: the runs of services' containers.</summary>
public static class TaskEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var swarm = services.Swarm;
        app.MapGet("/tasks", context =>
        {
            var filters = SwarmQuery.Filters(context, "desired-state", "id", "label", "name", "node", "service", "_up-to-date");
            foreach (string state in filters.Get("desired-state"))
                if (state is not ("running" or "shutdown" or "accepted" or "ready" or "complete"))
                    throw BerthException.Invalid($"Invalid desired-state filter: '{state}'");
            var serviceIds = filters.Get("service").Select(s => TryService(swarm, s)).ToList();
            var tasks = swarm.ListTasks().Where(task =>
                filters.Match("id", id => task.ID.StartsWith(id, StringComparison.Ordinal))
                && filters.Match("name", name => swarm.TaskNameOf(task).StartsWith(name, StringComparison.Ordinal))
                && (serviceIds.Count == 0 || serviceIds.Contains(task.ServiceID))
                && filters.Match("node", node => node == task.NodeID || node == swarm.Store.Node?.Description.Hostname || node == "self")
                && filters.Match("desired-state", state => state == task.DesiredState || (state == "ready" && task.DesiredState == "running"))
                && filters.MatchLabels("label", ServiceLabels(swarm, task))
                && (!filters.Has("_up-to-date") || swarm.IsUpToDate(task))).ToList();
            return Json.WriteAsync(context, tasks, ApiJson.Context.ListSwarmTask);
        });
        app.MapGet("/tasks/{id}", context => Json.WriteAsync(context, swarm.GetTask(Id(context)), ApiJson.Context.SwarmTask));
        app.MapGet("/tasks/{id}/logs", context => SwarmLogs.WriteAsync(context, services, [swarm.GetTask(Id(context))]));
    }

    /// <summary>A service filter names a service by ID, name or prefix; one that names none matches no task.</summary>
    private static string TryService(SwarmManager swarm, string idOrName)
    {
        try
        {
            return swarm.GetService(idOrName).ID;
        }
        catch (BerthException exception) when (exception.Kind == ErrorKind.NotFound)
        {
            return idOrName;
        }
    }

    /// <summary>Swarm matches a task's label filter against its service's labels (how `docker stack ps` finds a stack's tasks).</summary>
    private static Dictionary<string, string> ServiceLabels(SwarmManager swarm, Berth.Api.SwarmTask task) =>
        swarm.Store.TryGetService(task.ServiceID)?.Spec["Labels"] is System.Text.Json.Nodes.JsonObject labels
            ? labels.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "")
            : task.Labels;

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}
