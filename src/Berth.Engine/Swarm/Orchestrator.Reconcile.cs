using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

public sealed partial class Orchestrator
{
    /// <summary>One service: slots filled, restarts made when due, out-of-date tasks replaced batch by batch.</summary>
    private async Task ReconcileAsync(SwarmService service, CancellationToken cancellationToken)
    {
        string nodeId = _manager.NodeId;
        string availability = _manager.Availability;
        var slots = ServiceSpecs.IsGlobal(service.Spec)
            ? (availability == "active" ? [0] : [])
            : (availability == "drain" ? [] : Enumerable.Range(1, ServiceSpecs.Replicas(service.Spec)).ToList());
        var tasks = _store.Tasks.Where(t => t.ServiceID == service.ID).ToList();

        // Scaled down (or drained): the slots no longer wanted stop and go.
        var unwanted = tasks.Where(t => !slots.Contains(t.Slot)).ToList();
        await Task.WhenAll(unwanted.Select(async task =>
        {
            await ShutdownAsync(task, cancellationToken);
            await RemoveContainerAsync(task, force: true);
            _store.RemoveTask(task.ID);
        }));

        var template = ServiceSpecs.TaskTemplate(service.Spec);
        var outdated = new List<SwarmTask>();
        var starts = new List<Task>();
        foreach (int slot in slots)
        {
            var inSlot = tasks.Where(t => t.Slot == slot).OrderByDescending(t => t.CreatedAt, StringComparer.Ordinal).ToList();
            var current = inSlot.FirstOrDefault(t => t.DesiredState == "running");
            if (current is null)
            {
                if (RestartDue(service, inSlot)) starts.Add(StartTaskAsync(service, slot, nodeId, cancellationToken));
            }
            else if (!JsonNode.DeepEquals(current.Spec, template)) outdated.Add(current);
        }
        await Task.WhenAll(starts);

        if (outdated.Count > 0) await UpdateBatchAsync(service, outdated, nodeId, cancellationToken);
        else if (service.UpdateStatus is { State: "updating" or "rollback_started" } status
                 && AllRunningFor(service, ServiceSpecs.UpdatePolicy(service.Spec, status.State == "rollback_started").Monitor))
        {
            bool rollback = status.State == "rollback_started";
            _store.EditService(service, s => s.UpdateStatus = new ServiceUpdateStatus
            {
                State = rollback ? "rollback_completed" : "completed",
                StartedAt = status.StartedAt,
                CompletedAt = ApiTime.Format(DateTimeOffset.UtcNow),
                Message = rollback ? "rollback completed" : "update completed",
            });
        }
    }

    /// <summary>Whether a slot without a running task gets a new one now: its first, or a restart the policy allows and whose delay is over.</summary>
    private static bool RestartDue(SwarmService service, List<SwarmTask> inSlot)
    {
        var last = inSlot.FirstOrDefault();
        if (last is null) return true;
        // A task replaced by an update (or a shut-down node) gets its successor at once.
        if (last.Status.State == "shutdown" || !JsonNode.DeepEquals(last.Spec, ServiceSpecs.TaskTemplate(service.Spec))) return true;
        if (!IsTerminal(last)) return false;
        var (condition, delay, maxAttempts, window) = ServiceSpecs.RestartPolicy(service.Spec);
        if (condition == "none") return false;
        if (condition == "on-failure" && last.Status.State == "complete") return false;
        if (maxAttempts > 0)
        {
            var since = window > TimeSpan.Zero ? DateTimeOffset.UtcNow - window : DateTimeOffset.MinValue;
            int restarts = inSlot.Count(t => IsTerminal(t) && ApiTime.TryParse(t.CreatedAt, out var at) && at >= since) - 1;
            if (restarts >= maxAttempts) return false;
        }
        return !ApiTime.TryParse(last.Status.Timestamp, out var finished) || DateTimeOffset.UtcNow - finished >= delay;
    }

    /// <summary>A rolling update's next batch, once the previous one runs and the update delay has passed.</summary>
    private async Task UpdateBatchAsync(SwarmService service, List<SwarmTask> outdated, string nodeId, CancellationToken cancellationToken)
    {
        bool rollback = service.UpdateStatus?.State?.StartsWith("rollback", StringComparison.Ordinal) == true;
        var (parallelism, delay, startFirst, _) = ServiceSpecs.UpdatePolicy(service.Spec, rollback);
        var template = ServiceSpecs.TaskTemplate(service.Spec);
        bool previousBatchRunning = _store.Tasks.Where(t => t.ServiceID == service.ID && t.DesiredState == "running" && JsonNode.DeepEquals(t.Spec, template))
            .All(t => t.Status.State == "running");
        if (!previousBatchRunning) return;
        if (_lastBatch.TryGetValue(service.ID, out var last) && DateTimeOffset.UtcNow - last < delay) return;
        _lastBatch[service.ID] = DateTimeOffset.UtcNow;
        var batch = outdated.OrderBy(t => t.Slot).Take(parallelism <= 0 ? outdated.Count : parallelism).ToList();
        await Task.WhenAll(batch.Select(async old =>
        {
            if (startFirst)
            {
                await StartTaskAsync(service, old.Slot, nodeId, cancellationToken);
                await ShutdownAsync(old, cancellationToken);
            }
            else
            {
                await ShutdownAsync(old, cancellationToken);
                await StartTaskAsync(service, old.Slot, nodeId, cancellationToken);
            }
        }));
    }

    /// <summary>Whether every current task of the service has been running for the monitor period.</summary>
    private bool AllRunningFor(SwarmService service, TimeSpan monitor) =>
        _store.Tasks.Where(t => t.ServiceID == service.ID && t.DesiredState == "running")
            .All(t => t.Status.State == "running" && ApiTime.TryParse(t.Status.Timestamp, out var since) && DateTimeOffset.UtcNow - since >= monitor);

    /// <summary>A new task in a slot, its container created and started; a failure is the task's state, not an exception.</summary>
    private async Task StartTaskAsync(SwarmService service, int slot, string nodeId, CancellationToken cancellationToken)
    {
        var now = ApiTime.Format(DateTimeOffset.UtcNow);
        var task = _store.AddTask(new SwarmTask
        {
            ID = SwarmIds.NewId(),
            Spec = (JsonObject)ServiceSpecs.TaskTemplate(service.Spec).DeepClone(),
            ServiceID = service.ID,
            Slot = slot,
            NodeID = nodeId,
            DesiredState = "running",
            Status = new SwarmTaskStatus { Timestamp = now, State = "preparing", Message = "preparing" },
        });
        string? containerId = null;
        try
        {
            string serviceName = ServiceSpecs.Name(service.Spec);
            string taskName = TaskContainers.TaskName(serviceName, task);
            var (config, host) = TaskContainers.Build(task, serviceName, taskName, nodeId);
            host.Mounts = TaskSecretFiles.Write(_store, task, host.Mounts);
            if (_images.TryResolve(config.Image) is null && PullImage is not null)
                await PullImage(config.Image, cancellationToken);
            var endpoints = Networks is null ? null : TaskNetworks.PlanEndpoints(Networks, service.Spec, task.Spec, serviceName, host);
            var container = await _containers.CreateAsync(TaskContainers.ContainerName(taskName, task), config, host, cancellationToken, endpoints);
            containerId = container.Id;
            _store.EditTask(task.ID, t => t.Status = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "starting", Message = "starting",
                ContainerStatus = new TaskContainerStatus { ContainerID = container.Id },
            });
            await _containers.StartAsync(container.Id, cancellationToken);
            var started = _containers.Store.TryGet(container.Id);
            _store.EditTask(task.ID, t => t.Status = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "running", Message = "started",
                ContainerStatus = new TaskContainerStatus { ContainerID = container.Id, PID = started?.State.Pid ?? 0 },
            });
            if (Networks is not null && started is not null) _store.EditTask(task.ID, t => t.NetworksAttachments = TaskNetworks.AttachmentsOf(Networks, started));
        }
        catch (BerthException exception)
        {
            LogTaskFailed(_logger, task.ID, exception.Message);
            _store.EditTask(task.ID, t =>
            {
                t.DesiredState = "shutdown";
                t.Status = new SwarmTaskStatus
                {
                    Timestamp = ApiTime.Format(DateTimeOffset.UtcNow),
                    State = containerId is null ? "rejected" : "failed",
                    Message = containerId is null ? "preparing" : "starting",
                    Err = exception.Message,
                    ContainerStatus = containerId is null ? null : new TaskContainerStatus { ContainerID = containerId, ExitCode = 128 },
                };
            });
        }
    }

    /// <summary>Stops a task's container gracefully (its stop grace period) and records the task as shut down.</summary>
    private async Task ShutdownAsync(SwarmTask task, CancellationToken cancellationToken)
    {
        if (task.DesiredState == "running") _store.EditTask(task.ID, t => t.DesiredState = "shutdown");
        if (task.Status.ContainerStatus?.ContainerID is { Length: > 0 } id && _containers.Store.TryGet(id) is { State.Running: true })
        {
            try
            {
                await _containers.StopAsync(id, null, null, cancellationToken);
            }
            catch (BerthException exception) when (exception.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
            {
            }
        }
        if (!IsTerminal(task) || task.Status.State is "running")
        {
            var container = task.Status.ContainerStatus?.ContainerID is { Length: > 0 } cid ? _containers.Store.TryGet(cid) : null;
            _store.EditTask(task.ID, t => t.Status = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "shutdown", Message = "shutdown",
                ContainerStatus = t.Status.ContainerStatus is { } s
                    ? new TaskContainerStatus { ContainerID = s.ContainerID, ExitCode = container?.State.ExitCode ?? 0 }
                    : null,
            });
        }
    }
}
