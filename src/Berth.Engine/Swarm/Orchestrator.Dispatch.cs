using System.Net.Http.Json;
using System.Text.Json;
using Berth.Api;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm's dispatcher: on every pass each worker node that is connected gets all the tasks it holds (with their
/// services, secrets and configs), makes its containers match them, and answers what became of each task. Tasks of a
/// node that is down wait: the node gets them, or learns they are gone, when it comes back.
/// </summary>
public sealed partial class Orchestrator
{
    /// <summary>The path a worker's daemon serves assignments on, reachable only through its tunnel.</summary>
    public const string AssignmentsPath = "/_swarm/assignments";

    private static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(10);

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        if (NodeClients is null) return;
        var workers = _store.Nodes.Where(n => n.ID != _manager.NodeId && n.Status.State == "ready").ToList();
        await Task.WhenAll(workers.Select(node => DispatchToAsync(node, cancellationToken)));
    }

    private async Task DispatchToAsync(SwarmNode node, CancellationToken cancellationToken)
    {
        if (NodeClients?.Invoke(node.ID) is not { } client) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DispatchTimeout);
        try
        {
            using var content = JsonContent.Create(AssignmentFor(node.ID), ApiJson.Context.SwarmAssignment);
            using var response = await client.PostAsync(AssignmentsPath, content, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogDispatchFailed(_logger, node.ID, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
                return;
            }
            var report = await response.Content.ReadFromJsonAsync(ApiJson.Context.SwarmTaskReport, timeout.Token);
            if (report is not null && Apply(node.ID, report)) Kick();
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogDispatchFailed(_logger, node.ID, exception.Message);
        }
    }

    /// <summary>Everything a node needs for its tasks: the tasks, their services, and the secrets and configs they reference.</summary>
    private SwarmAssignment AssignmentFor(string nodeId)
    {
        var tasks = _store.Tasks.Where(t => t.NodeID == nodeId).ToList();
        var assignment = new SwarmAssignment
        {
            Tasks = tasks,
            Services = [.. tasks.Select(t => t.ServiceID).Distinct().Select(_store.TryGetService).OfType<SwarmService>()],
        };
        foreach (var kind in new[] { SwarmObjectKind.Secret, SwarmObjectKind.Config })
        {
            var ids = tasks.Where(TaskStates.IsWanted)
                .SelectMany(t => SecretReferences.Read(kind, ServiceSpecs.ContainerSpec(t.Spec)))
                .Select(r => r.Id).Distinct();
            var items = ids.Select(id => _store.TryGetSecret(kind, id)).OfType<SwarmSecret>();
            (kind == SwarmObjectKind.Secret ? assignment.Secrets : assignment.Configs).AddRange(items);
        }
        assignment.Networks = OverlaysFor(nodeId, tasks);
        return assignment;
    }

    /// <summary>A worker's report read into its tasks; answers whether any changed.</summary>
    private bool Apply(string nodeId, SwarmTaskReport report)
    {
        bool changed = false;
        foreach (var entry in report.Tasks)
        {
            if (_store.TryGetTask(entry.TaskID) is not { } task || task.NodeID != nodeId) continue;
            if (SameStatus(task.Status, entry.Status)) continue;
            _store.EditTask(task.ID, t =>
            {
                t.Status = entry.Status;
                if (entry.NetworksAttachments is not null) t.NetworksAttachments = entry.NetworksAttachments;
                if (IsTerminal(t)) t.DesiredState = TaskStates.DesiredAfterEnd(t, t.Status);
            });
            changed = true;
        }
        return changed;
    }

    private static bool SameStatus(SwarmTaskStatus known, SwarmTaskStatus reported) =>
        known.State == reported.State && known.Message == reported.Message && known.Err == reported.Err
        && known.ContainerStatus?.ContainerID == reported.ContainerStatus?.ContainerID
        && known.ContainerStatus?.ExitCode == reported.ContainerStatus?.ExitCode
        && known.ContainerStatus?.PID == reported.ContainerStatus?.PID;

    [LoggerMessage(Level = LogLevel.Warning, Message = "swarm: could not send node {NodeId} its tasks: {Message}")]
    private static partial void LogDispatchFailed(ILogger logger, string nodeId, string message);
}
