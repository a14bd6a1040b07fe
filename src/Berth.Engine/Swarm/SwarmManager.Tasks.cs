using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

public sealed partial class SwarmManager
{
    public IReadOnlyList<SwarmTask> ListTasks()
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        return [.. _store.Tasks.OrderBy(t => t.CreatedAt, StringComparer.Ordinal)];
    }

    public SwarmTask GetTask(string id)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        if (_store.TryGetTask(id) is { } task) return task;
        var byPrefix = id.Length == 0 ? [] : _store.Tasks.Where(t => t.ID.StartsWith(id, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count == 1) return byPrefix[0];
        throw BerthException.NotFound($"task {id} not found");
    }

    /// <summary>Whether a task runs its service's current spec (the docker CLI's hidden _up-to-date filter).</summary>
    public bool IsUpToDate(SwarmTask task) =>
        _store.TryGetService(task.ServiceID) is { } service
        && System.Text.Json.Nodes.JsonNode.DeepEquals(task.Spec, ServiceSpecs.TaskTemplate(service.Spec));

    /// <summary>The task's name as Docker shows it: service.slot (service.node for global services).</summary>
    public string TaskNameOf(SwarmTask task)
    {
        string service = _store.TryGetService(task.ServiceID) is { } s ? ServiceSpecs.Name(s.Spec) : task.ServiceID;
        return TaskContainers.TaskName(service, task);
    }
}
