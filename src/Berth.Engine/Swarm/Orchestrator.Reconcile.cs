using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Engine.Swarm;

public sealed partial class Orchestrator
{
    /// <summary>
    /// One service: tasks moved off nodes that went down or were drained, slots filled (one per replica, or one per
    /// node for a global service), pending tasks scheduled when a node fits, restarts made when due, out-of-date tasks
    /// replaced batch by batch.
    /// </summary>
    private async Task ReconcileAsync(SwarmService service, CancellationToken cancellationToken)
    {
        if (service.JobStatus is not null)
        {
            await ReconcileJobAsync(service, cancellationToken);
            return;
        }
        var nodes = _store.Nodes;
        var template = ServiceSpecs.TaskTemplate(service.Spec);
        bool global = ServiceSpecs.IsGlobal(service.Spec);

        // A task on a node that is down, gone or drained is lost to its slot: it is shut down (the node stops it when
        // it comes back) and the slot gets a new task elsewhere.
        foreach (var lost in _store.Tasks.Where(t => t.ServiceID == service.ID && t.DesiredState == "running"
                     && !string.IsNullOrEmpty(t.NodeID) && !Scheduler.KeepsTasks(NodeOf(t))).ToList())
            await ShutdownAsync(lost, cancellationToken);

        var globalNodes = global
            ? Scheduler.GlobalNodes(template, nodes, OverlayReachFor(service.Spec, template)).ToDictionary(n => n.ID)
            : [];
        var keys = global
            ? [.. globalNodes.Keys]
            : Enumerable.Range(1, ServiceSpecs.Replicas(service.Spec)).Select(SlotText).ToList();
        string KeyOf(SwarmTask task) => global ? task.NodeID ?? "" : SlotText(task.Slot);
        var tasks = _store.Tasks.Where(t => t.ServiceID == service.ID).ToList();

        // Scaled down (or a node no longer runs the global service): the slots no longer wanted stop and go.
        var unwanted = tasks.Where(t => !keys.Contains(KeyOf(t))).ToList();
        await Task.WhenAll(unwanted.Select(async task =>
        {
            await ShutdownAsync(task, cancellationToken);
            await RemoveContainerAsync(task, force: true);
            _store.RemoveTask(task.ID);
        }));

        var outdated = new List<SwarmTask>();
        var starts = new List<Task>();
        foreach (string key in keys)
        {
            var inSlot = tasks.Where(t => KeyOf(t) == key).OrderByDescending(t => t.CreatedAt, StringComparer.Ordinal).ToList();
            var current = inSlot.FirstOrDefault(t => t.DesiredState == "running");
            int slot = global ? 0 : int.Parse(key, CultureInfo.InvariantCulture);
            var node = global ? globalNodes[key] : null;
            if (current is null)
            {
                // A paused node keeps the global task it has but gets no new one.
                if ((node is null || Scheduler.TakesNewTasks(node)) && RestartDue(service, inSlot))
                    starts.Add(StartTaskAsync(service, slot, node, cancellationToken));
            }
            else if (current.Status.State == "pending")
            {
                if (JsonNode.DeepEquals(current.Spec, template)) starts.Add(ScheduleAsync(service, current, cancellationToken));
                else
                {
                    await ShutdownAsync(current, cancellationToken);
                    starts.Add(StartTaskAsync(service, slot, node, cancellationToken));
                }
            }
            else if (!JsonNode.DeepEquals(current.Spec, template)) outdated.Add(current);
        }
        await Task.WhenAll(starts);

        if (outdated.Count > 0) await UpdateBatchAsync(service, outdated, cancellationToken);
        else if (service.UpdateStatus is { State: "updating" or "rollback_started" } status
                 && !_store.Tasks.Any(t => t.ServiceID == service.ID && Stopping(t))
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


    private static string SlotText(int slot) => slot.ToString(CultureInfo.InvariantCulture);

    private SwarmNode? NodeOf(SwarmTask task) => _store.Nodes.FirstOrDefault(n => n.ID == task.NodeID);

    /// <summary>Whether a slot without a running task gets a new one now: its first, or a restart the policy allows and whose delay is over.</summary>
    private bool RestartDue(SwarmService service, List<SwarmTask> inSlot)
    {
        var last = inSlot.FirstOrDefault();
        if (last is null) return true;
        if (Stopping(last)) return false;
        // A task replaced by an update, or lost with its node, gets its successor at once.
        if (last.Status.State == "shutdown" || !JsonNode.DeepEquals(last.Spec, ServiceSpecs.TaskTemplate(service.Spec))) return true;
        if (last.DesiredState != "running" && !string.IsNullOrEmpty(last.NodeID) && !Scheduler.KeepsTasks(NodeOf(last))) return true;
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
    private async Task UpdateBatchAsync(SwarmService service, List<SwarmTask> outdated, CancellationToken cancellationToken)
    {
        bool rollback = service.UpdateStatus?.State?.StartsWith("rollback", StringComparison.Ordinal) == true;
        var (parallelism, delay, startFirst, _) = ServiceSpecs.UpdatePolicy(service.Spec, rollback);
        var template = ServiceSpecs.TaskTemplate(service.Spec);
        var tasks = _store.Tasks.Where(t => t.ServiceID == service.ID).ToList();
        bool previousBatchRunning = tasks.Where(t => t.DesiredState == "running" && JsonNode.DeepEquals(t.Spec, template)).All(t => t.Status.State == "running")
            && !tasks.Any(Stopping);
        if (!previousBatchRunning) return;
        if (_lastBatch.TryGetValue(service.ID, out var last) && DateTimeOffset.UtcNow - last < delay) return;
        _lastBatch[service.ID] = DateTimeOffset.UtcNow;
        var batch = outdated.OrderBy(t => t.Slot).Take(parallelism <= 0 ? outdated.Count : parallelism).ToList();
        await Task.WhenAll(batch.Select(async old =>
        {
            if (startFirst)
            {
                await StartTaskAsync(service, old.Slot, old.Slot == 0 ? NodeOf(old) : null, cancellationToken);
                await ShutdownAsync(old, cancellationToken);
            }
            else
            {
                await ShutdownAsync(old, cancellationToken);
                // A worker's task stops on its own time: its successor starts once it has (see RestartDue).
                if (_store.TryGetTask(old.ID) is not { } now || !Stopping(now))
                    await StartTaskAsync(service, old.Slot, old.Slot == 0 ? NodeOf(old) : null, cancellationToken);
            }
        }));
    }

    /// <summary>
    /// A task told to shut down that a worker node which is up has not yet reported stopped: its slot's successor
    /// waits for it, as swarm's stop-first order wants (the manager's own tasks stop before ShutdownAsync returns).
    /// </summary>
    private bool Stopping(SwarmTask task) =>
        !TaskStates.IsWanted(task) && !IsTerminal(task) && !string.IsNullOrEmpty(task.NodeID) && Scheduler.KeepsTasks(NodeOf(task));

    /// <summary>Whether every current task of the service has been running for the monitor period.</summary>
    private bool AllRunningFor(SwarmService service, TimeSpan monitor) =>
        _store.Tasks.Where(t => t.ServiceID == service.ID && t.DesiredState == "running")
            .All(t => t.Status.State == "running" && ApiTime.TryParse(t.Status.Timestamp, out var since) && DateTimeOffset.UtcNow - since >= monitor);

    /// <summary>
    /// A new task in a slot: placed by the scheduler (a global task on its node), then run here when the node is this
    /// one, or left "assigned" for the dispatch to send its worker; pending with the scheduler's reason when no node fits.
    /// </summary>
    private async Task StartTaskAsync(SwarmService service, int slot, SwarmNode? globalNode, CancellationToken cancellationToken)
    {
        // A job's task runs for the job's current iteration, until it completes.
        var iteration = service.JobStatus is { } job ? new ObjectVersion { Index = job.JobIteration.Index } : null;
        var template = ServiceSpecs.TaskTemplate(service.Spec);
        var (node, explanation) = globalNode is not null ? (globalNode, null)
            : Scheduler.Pick(template, service.ID, _store.Nodes, _store.Tasks, OverlayReachFor(service.Spec, template));
        var now = ApiTime.Format(DateTimeOffset.UtcNow);
        var task = _store.AddTask(new SwarmTask
        {
            ID = SwarmIds.NewId(),
            Spec = (JsonObject)template.DeepClone(),
            ServiceID = service.ID,
            Slot = slot,
            NodeID = node?.ID ?? "",
            DesiredState = iteration is null ? "running" : "complete",
            JobIteration = iteration,
            Status = node is null ? Pending(now, explanation) : Assigned(now),
        });
        if (node is not null) await RunAsync(service, task, cancellationToken);
    }

    /// <summary>A pending task tried again: placed when a node fits now, its reason brought up to date when none does.</summary>
    private async Task ScheduleAsync(SwarmService service, SwarmTask task, CancellationToken cancellationToken)
    {
        var (node, explanation) = Scheduler.Pick(task.Spec, service.ID, _store.Nodes, _store.Tasks, OverlayReachFor(service.Spec, task.Spec));
        if (node is null)
        {
            if (task.Status.Err != explanation) _store.EditTask(task.ID, t => t.Status = Pending(ApiTime.Format(DateTimeOffset.UtcNow), explanation));
            return;
        }
        var assigned = _store.EditTask(task.ID, t =>
        {
            t.NodeID = node.ID;
            t.Status = Assigned(ApiTime.Format(DateTimeOffset.UtcNow));
        });
        if (assigned is not null) await RunAsync(service, assigned, cancellationToken);
    }

    private static SwarmTaskStatus Pending(string now, string? explanation) =>
        new() { Timestamp = now, State = "pending", Message = "pending task scheduling", Err = explanation };

    private static SwarmTaskStatus Assigned(string now) => new() { Timestamp = now, State = "assigned", Message = "scheduler assigned task to node" };

    /// <summary>Runs a task placed on this node; a worker's task waits for the dispatch.</summary>
    private async Task RunAsync(SwarmService service, SwarmTask task, CancellationToken cancellationToken)
    {
        if (!IsLocal(task)) return;
        _store.EditTask(task.ID, t => t.Status = new SwarmTaskStatus { Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "preparing", Message = "preparing" });
        var secrets = new TaskSecretSource(_store.Root, _store.TryGetSecret);
        var (status, attachments) = await Runner.StartAsync(task, service.Spec, _manager.NodeId, secrets,
            progress => _store.EditTask(task.ID, t => t.Status = progress), cancellationToken);
        _store.EditTask(task.ID, t =>
        {
            t.Status = status;
            if (status.State != "running") t.DesiredState = "shutdown";
            if (attachments is not null) t.NetworksAttachments = attachments;
        });
    }

    /// <summary>
    /// Shuts a task down: its container here is stopped gracefully (its stop grace period); a worker's task is
    /// marked for shutdown, and the worker stops it and reports.
    /// </summary>
    private async Task ShutdownAsync(SwarmTask task, CancellationToken cancellationToken)
    {
        // A job's completed task keeps its "complete": shutting it down now changes nothing.
        if (task.DesiredState == "running" || (task.DesiredState == "complete" && !IsTerminal(task))) _store.EditTask(task.ID, t => t.DesiredState = "shutdown");
        if (!IsLocal(task) && !string.IsNullOrEmpty(task.NodeID)) return;
        if (await Runner.ShutdownAsync(task, cancellationToken) is { } status) _store.EditTask(task.ID, t => t.Status = status);
    }
}
