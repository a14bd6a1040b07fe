using System.Globalization;
using Berth.Api;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>
/// Progress of job-mode services, as docker prints it when stdout is not a terminal: a replicated job's slot lines
/// once, task errors, and "active tasks: A out of D tasks" (D being the lesser of MaxConcurrent and the completions
/// still wanted); a global job only its task errors. Only the tasks of the job's current iteration count.
/// </summary>
public sealed partial class ServiceProgress
{
    private const int MaxJobProgressBars = 20;
    private HashSet<string>? _jobNodes;

    private bool UpdateReplicatedJob(SwarmService service, List<SwarmTask> tasks)
    {
        var job = service.Spec.Obj("Mode").Obj("ReplicatedJob");
        var concurrent = job.Long("MaxConcurrent");
        var total = job.Long("TotalCompletions");
        if (!_initialized)
        {
            WriteActiveTasks(0, Math.Min(total, concurrent), concurrent);
            if (total <= MaxJobProgressBars)
            {
                for (var i = 1; i <= total; i++)
                    Write($"{i}/{total}", " ");
            }
            _initialized = true;
        }
        // Per slot, the task in the earliest state (a retried slot's new task before its failed one).
        var bySlot = new Dictionary<int, SwarmTask>();
        foreach (var task in CurrentIteration(service, tasks))
        {
            if (!bySlot.TryGetValue(task.Slot, out var existing) || Rank(existing.Status.State) > Rank(task.Status.State))
                bySlot[task.Slot] = task;
        }
        long active = 0, complete = 0;
        foreach (var task in bySlot.Values.OrderBy(t => t.Slot))
        {
            if (total <= MaxJobProgressBars && !string.IsNullOrEmpty(task.Status.Err))
                Write($"{task.Slot + 1}/{total}", TruncateError(task.Status.Err));
            if (Rank(task.Status.State) < Rank("complete"))
                active++;
            if (task.Status.State == "complete")
                complete++;
        }
        WriteActiveTasks(active, Math.Min(total - complete, concurrent), concurrent);
        return complete == total;
    }

    private bool UpdateGlobalJob(SwarmService service, List<SwarmTask> tasks, HashSet<string> activeNodes)
    {
        var current = CurrentIteration(service, tasks).ToList();
        if (_jobNodes is null)
        {
            if (tasks.Count == 0 && activeNodes.Count != 0)
            {
                Write("job progress", "waiting for tasks");
                return false;
            }
            // The nodes that had tasks when the job started: nodes joining later are not waited for.
            _jobNodes = current.Select(t => t.NodeID ?? "").ToHashSet(StringComparer.Ordinal);
        }
        var byNode = new Dictionary<string, SwarmTask>(StringComparer.Ordinal);
        foreach (var task in current.Where(t => _jobNodes.Contains(t.NodeID ?? "")))
        {
            if (!byNode.TryGetValue(task.NodeID ?? "", out var existing) || Rank(existing.Status.State) > Rank(task.Status.State))
                byNode[task.NodeID ?? ""] = task;
        }
        foreach (var task in byNode.Values)
        {
            if (_jobNodes.Count <= MaxJobProgressBars && !string.IsNullOrEmpty(task.Status.Err))
                Write(task.NodeID ?? "", TruncateError(task.Status.Err));
        }
        return byNode.Values.Count(t => t.Status.State == "complete") == _jobNodes.Count;
    }

    private static IEnumerable<SwarmTask> CurrentIteration(SwarmService service, List<SwarmTask> tasks) =>
        tasks.Where(t => t.JobIteration is { } iteration && iteration.Index == (service.JobStatus?.JobIteration.Index ?? 0)
            && Rank(t.DesiredState) != 0 && Rank(t.Status.State) != 0);

    /// <summary>Both numbers padded to the width of MaxConcurrent, as docker pads them.</summary>
    private void WriteActiveTasks(long active, long desired, long concurrent)
    {
        var width = concurrent.ToString(CultureInfo.InvariantCulture).Length;
        Write("active tasks", $"{active.ToString(CultureInfo.InvariantCulture).PadLeft(width)} out of {desired.ToString(CultureInfo.InvariantCulture).PadLeft(width)} tasks");
    }
}
