using Berth.Api;

namespace Berth.Engine.Swarm;

/// <summary>
/// Job-mode services, as swarm runs them. Each iteration of a job (one at creation, one more with every update) runs
/// its tasks to completion once: a replicated job fills slots 0 to TotalCompletions-1, at most MaxConcurrent at a
/// time; a global job runs one task on each eligible node (nodes that join later get theirs too). A task that
/// completes is never run again; one that fails is retried in its slot as the restart policy allows. Tasks of earlier
/// iterations that still run are stopped, and stay as history.
/// </summary>
public sealed partial class Orchestrator
{
    private enum Retry
    {
        Never,
        Later,
        Now,
    }

    private async Task ReconcileJobAsync(SwarmService service, CancellationToken cancellationToken)
    {
        ulong iteration = service.JobStatus!.JobIteration.Index;
        var stale = _store.Tasks.Where(t => t.ServiceID == service.ID && TaskStates.IsWanted(t) && !IsTerminal(t)
            && (t.JobIteration?.Index != iteration || (!string.IsNullOrEmpty(t.NodeID) && !Scheduler.KeepsTasks(NodeOf(t)))));
        // An earlier iteration's task, or one on a node that went down or was drained: stopped (a lost task's slot runs again).
        foreach (var task in stale.ToList()) await ShutdownAsync(task, cancellationToken);

        var current = _store.Tasks.Where(t => t.ServiceID == service.ID && t.JobIteration?.Index == iteration).ToList();
        var starts = ServiceSpecs.IsGlobalJob(service.Spec)
            ? GlobalJobStarts(service, current, cancellationToken)
            : ReplicatedJobStarts(service, current, cancellationToken);
        await Task.WhenAll(starts);
    }

    /// <summary>
    /// A replicated job's slots: those completed are done; those whose task runs, waits to be placed, or waits out its
    /// restart delay hold one of the MaxConcurrent places; new slots start, lowest first, in the places left.
    /// </summary>
    private List<Task> ReplicatedJobStarts(SwarmService service, List<SwarmTask> current, CancellationToken cancellationToken)
    {
        var (maxConcurrent, totalCompletions) = ServiceSpecs.JobCounts(service.Spec);
        var bySlot = current.ToLookup(t => t.Slot);
        var starts = new List<Task>();
        var fresh = new List<int>();
        int busy = 0;
        for (int slot = 0; slot < totalCompletions; slot++)
        {
            var inSlot = bySlot[slot].OrderByDescending(t => t.CreatedAt, StringComparer.Ordinal).ToList();
            if (inSlot.Any(t => t.Status.State == "complete")) continue;
            if (inSlot.FirstOrDefault(t => TaskStates.IsWanted(t) && !IsTerminal(t)) is { } active)
            {
                busy++;
                if (active.Status.State == "pending") starts.Add(ScheduleAsync(service, active, cancellationToken));
                continue;
            }
            if (inSlot.Count == 0)
            {
                fresh.Add(slot);
                continue;
            }
            if (Stopping(inSlot[0])) busy++;
            else if (JobRetry(service, inSlot) is var retry && retry != Retry.Never)
            {
                busy++;
                if (retry == Retry.Now) starts.Add(StartTaskAsync(service, slot, null, cancellationToken));
            }
        }
        foreach (int slot in fresh.Take(Math.Max(0, maxConcurrent - busy)))
            starts.Add(StartTaskAsync(service, slot, null, cancellationToken));
        return starts;
    }

    /// <summary>A global job's nodes: each eligible node without a completed task of this iteration runs one (again, after a failure, as the policy allows).</summary>
    private List<Task> GlobalJobStarts(SwarmService service, List<SwarmTask> current, CancellationToken cancellationToken)
    {
        var template = ServiceSpecs.TaskTemplate(service.Spec);
        var starts = new List<Task>();
        foreach (var node in Scheduler.GlobalNodes(template, _store.Nodes, OverlayReachFor(service.Spec, template)))
        {
            var onNode = current.Where(t => t.NodeID == node.ID).OrderByDescending(t => t.CreatedAt, StringComparer.Ordinal).ToList();
            if (onNode.Any(t => t.Status.State == "complete" || (TaskStates.IsWanted(t) && !IsTerminal(t)))) continue;
            if (!Scheduler.TakesNewTasks(node)) continue;
            if (onNode.Count == 0 || (!Stopping(onNode[0]) && JobRetry(service, onNode) == Retry.Now))
                starts.Add(StartTaskAsync(service, 0, node, cancellationToken));
        }
        return starts;
    }

    /// <summary>
    /// Whether a job's slot whose last task ended without completing runs again: at once when the task was lost (shut
    /// down with its node), after the restart delay when it failed and the restart policy allows another attempt.
    /// A completed task is never retried, whatever the condition: a job's tasks restart on failure only.
    /// </summary>
    private Retry JobRetry(SwarmService service, List<SwarmTask> inSlot)
    {
        var last = inSlot[0];
        if (last.Status.State == "shutdown" || (!string.IsNullOrEmpty(last.NodeID) && !Scheduler.KeepsTasks(NodeOf(last)))) return Retry.Now;
        var (condition, delay, maxAttempts, window) = ServiceSpecs.RestartPolicy(service.Spec);
        if (condition == "none") return Retry.Never;
        if (maxAttempts > 0)
        {
            var since = window > TimeSpan.Zero ? DateTimeOffset.UtcNow - window : DateTimeOffset.MinValue;
            int restarts = inSlot.Count(t => IsTerminal(t) && ApiTime.TryParse(t.CreatedAt, out var at) && at >= since) - 1;
            if (restarts >= maxAttempts) return Retry.Never;
        }
        return !ApiTime.TryParse(last.Status.Timestamp, out var finished) || DateTimeOffset.UtcNow - finished >= delay ? Retry.Now : Retry.Later;
    }

    /// <summary>A completed task of a job's current iteration: what makes the job done, so never trimmed as history.</summary>
    private bool CompletesCurrentJob(SwarmTask task) =>
        task.Status.State == "complete" && task.JobIteration is { } iteration
        && _store.TryGetService(task.ServiceID)?.JobStatus?.JobIteration.Index == iteration.Index;
}
