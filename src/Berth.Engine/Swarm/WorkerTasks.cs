using Berth.Api;
using Berth.Engine.Events;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// A worker node's side of swarm: the tasks its manager assigned (<see cref="Apply"/>, called on every dispatch),
/// made into containers of this engine by the <see cref="TaskRunner"/>, and their states reported back in the answer
/// to the next dispatch. Tasks to run are started, tasks to shut down are stopped, tasks no longer assigned lose their
/// containers, and the routing mesh publishes the assigned services' ports to the tasks running here. Containers
/// outlive berthd: after a restart the containers of assigned tasks are taken back by their task label.
/// </summary>
public sealed class WorkerTasks
{
    private readonly TaskRunner _runner;
    private readonly Func<string> _secretsRoot;
    private readonly Func<RoutingMesh?> _mesh;
    private readonly TaskLoop _loop;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = [];
    private SwarmAssignment? _assignment;

    public WorkerTasks(TaskRunner runner, Func<string> secretsRoot, Func<RoutingMesh?> mesh, ILogger logger)
    {
        _runner = runner;
        _secretsRoot = secretsRoot;
        _mesh = mesh;
        _loop = new TaskLoop(RoundAsync, logger, "worker");
        _logger = logger;
    }

    /// <summary>The manager's latest assignment; answers what this node knows of each assigned task now.</summary>
    public SwarmTaskReport Apply(SwarmAssignment assignment)
    {
        lock (_gate) _assignment = assignment;
        Kick();
        return Report();
    }

    /// <summary>Forgets every assignment (the node left the swarm; its containers are removed by the caller).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _assignment = null;
            _entries.Clear();
        }
    }

    public void Kick() => _loop.Kick();

    /// <summary>The daemon's lifetime loop: a round on every assignment, on every task container's exit, and once a second.</summary>
    public Task RunAsync(EventBus events, CancellationToken cancellationToken) => _loop.RunAsync(events, cancellationToken);

    private SwarmTaskReport Report()
    {
        lock (_gate)
        {
            return new SwarmTaskReport
            {
                Tasks = [.. (_assignment?.Tasks ?? [])
                    .Where(t => _entries.ContainsKey(t.ID))
                    .Select(t => new SwarmTaskReportEntry
                    {
                        TaskID = t.ID, Status = _entries[t.ID].Status, NetworksAttachments = _entries[t.ID].Attachments,
                    })],
            };
        }
    }

    /// <summary>One round: every assigned task's container brought to what the manager wants.</summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        SwarmAssignment? assignment;
        lock (_gate) assignment = _assignment;
        if (assignment is null) return;
        if (_runner.Networks is { } networks) ApplyOverlays(networks, assignment);
        var assigned = assignment.Tasks.ToDictionary(t => t.ID);
        // This node's task containers, listed once a round: for tasks first seen, and for strays.
        var taskContainers = _runner.Containers.Store.List()
            .Where(c => c.Config.Labels?.ContainsKey(TaskContainers.TaskIdLabel) == true).ToList();
        var steps = new List<(Entry Entry, Func<Task> Step)>();
        var retired = new List<Entry>();
        lock (_gate)
        {
            foreach (var task in assignment.Tasks)
            {
                if (!_entries.TryGetValue(task.ID, out var entry)) _entries[task.ID] = entry = Adopt(task, taskContainers);
                entry.Task = task;
                if (entry.Busy) continue;
                if (NextStep(entry, assignment, cancellationToken) is { } step)
                {
                    entry.Busy = true;
                    steps.Add((entry, step));
                }
            }
            foreach (var (id, entry) in _entries.ToList())
            {
                if (assigned.ContainsKey(id) || entry.Busy) continue;
                _entries.Remove(id);
                retired.Add(entry);
            }
        }
        // Started outside the lock: a step that ends at once takes the lock again to clear Busy.
        var work = steps.Select(s => Step(s.Entry, s.Step)).Concat(retired.Select(e => RetireAsync(e, cancellationToken))).ToList();
        await Task.WhenAll(work);
        await RemoveStrayContainersAsync(assigned, taskContainers);
        if (_mesh() is { } routing)
        {
            List<SwarmTask> local;
            lock (_gate) local = [.. _entries.Values.Select(e => WithStatus(e.Task, e.Status))];
            await routing.SyncAsync(RoutingMesh.PortsOf(assignment.Services, local, _runner.Containers.Store));
        }
    }

    /// <summary>What an assigned task needs next: a start, a stop, or a look at its container; null when nothing.</summary>
    private Func<Task>? NextStep(Entry entry, SwarmAssignment assignment, CancellationToken cancellationToken)
    {
        var task = entry.Task;
        bool wanted = TaskStates.IsWanted(task);
        if (wanted && entry.Status.State is "new" or "pending" or "assigned")
            return () => StartAsync(entry, assignment, cancellationToken);
        if (!wanted && entry.Status.State is "new" or "pending" or "assigned" or "accepted")
        {
            entry.Status = new SwarmTaskStatus { Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "shutdown", Message = "shutdown" };
            return null;
        }
        if (!wanted && entry.Status.State is "starting" or "running")
            return async () =>
            {
                if (await _runner.ShutdownAsync(WithStatus(task, entry.Status), cancellationToken) is { } status) Set(entry, status);
            };
        if (_runner.Observe(WithStatus(task, entry.Status)) is { } observed) entry.Status = observed;
        return null;
    }

    private async Task Step(Entry entry, Func<Task> step)
    {
        try
        {
            await step();
        }
        finally
        {
            lock (_gate) entry.Busy = false;
            Kick();
        }
    }

    private async Task StartAsync(Entry entry, SwarmAssignment assignment, CancellationToken cancellationToken)
    {
        var task = entry.Task;
        var service = assignment.Services.FirstOrDefault(s => s.ID == task.ServiceID);
        if (service is null) return;
        Set(entry, new SwarmTaskStatus { Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "preparing", Message = "preparing" });
        var secrets = new TaskSecretSource(_secretsRoot(), (kind, id) =>
            (kind == SwarmObjectKind.Secret ? assignment.Secrets : assignment.Configs).FirstOrDefault(s => s.ID == id));
        var (status, attachments) = await _runner.StartAsync(task, service.Spec, task.NodeID ?? "", secrets,
            progress => Set(entry, progress), cancellationToken);
        Set(entry, status, attachments);
    }

    /// <summary>A task no longer assigned: stopped gracefully, then its container and files removed.</summary>
    /// <summary>The assignment's overlays made or updated here; a failure is logged and the tasks are tried all the same.</summary>
    private void ApplyOverlays(Networks.NetworkService networks, SwarmAssignment assignment)
    {
        try
        {
            TaskNetworks.ApplyOverlays(networks, assignment.Networks);
        }
        catch (Oci.Errors.BerthException exception)
        {
            _logger.LogWarning("swarm: the assigned overlay networks could not be set up: {Message}", exception.Message);
        }
    }

    private async Task RetireAsync(Entry entry, CancellationToken cancellationToken)
    {
        var task = WithStatus(entry.Task, entry.Status);
        await _runner.ShutdownAsync(task, cancellationToken);
        await _runner.RemoveAsync(task, _secretsRoot(), force: true);
    }

    /// <summary>Task containers here that no assignment names (left from before a restart, or from an old swarm): removed.</summary>
    private async Task RemoveStrayContainersAsync(Dictionary<string, SwarmTask> assigned, List<Containers.ContainerRecord> taskContainers)
    {
        HashSet<string> known;
        lock (_gate) known = [.. _entries.Values.Select(e => e.Status.ContainerStatus?.ContainerID ?? "").Where(id => id.Length > 0)];
        var strays = taskContainers
            .Where(c => !assigned.ContainsKey(c.Config.Labels![TaskContainers.TaskIdLabel]) && !known.Contains(c.Id))
            .ToList();
        foreach (var stray in strays)
            await _runner.RemoveAsync(new SwarmTask { ID = stray.Config.Labels![TaskContainers.TaskIdLabel], Status = new SwarmTaskStatus
            {
                ContainerStatus = new TaskContainerStatus { ContainerID = stray.Id },
            } }, _secretsRoot(), force: true);
    }

    /// <summary>
    /// A task this node has not seen since it (re)started: its container, when one exists, says where it is; a task
    /// the manager believes started whose container is gone has failed.
    /// </summary>
    private Entry Adopt(SwarmTask task, List<Containers.ContainerRecord> taskContainers)
    {
        var container = taskContainers.FirstOrDefault(c => c.Config.Labels![TaskContainers.TaskIdLabel] == task.ID);
        var status = task.Status;
        if (container is not null)
        {
            var known = WithStatus(task, new SwarmTaskStatus
            {
                Timestamp = task.Status.Timestamp, State = "running", Message = "started",
                ContainerStatus = new TaskContainerStatus { ContainerID = container.Id, PID = container.State.Pid },
            });
            status = _runner.Observe(known) ?? known.Status;
        }
        else if (task.Status.State is "preparing" or "starting" or "running")
        {
            status = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "failed", Message = "started", Err = "task: container removed",
                ContainerStatus = task.Status.ContainerStatus,
            };
        }
        return new Entry { Task = task, Status = status };
    }

    /// <summary>A task's new status, written under the lock the report reads under.</summary>
    private void Set(Entry entry, SwarmTaskStatus status, List<TaskNetworkAttachment>? attachments = null)
    {
        lock (_gate)
        {
            entry.Status = status;
            if (attachments is not null) entry.Attachments = attachments;
        }
    }

    private static SwarmTask WithStatus(SwarmTask task, SwarmTaskStatus status) => new()
    {
        ID = task.ID, ServiceID = task.ServiceID, Slot = task.Slot, NodeID = task.NodeID, Spec = task.Spec,
        DesiredState = task.DesiredState, Status = status, JobIteration = task.JobIteration,
    };

    private sealed class Entry
    {
        public required SwarmTask Task { get; set; }

        public required SwarmTaskStatus Status { get; set; }

        public List<TaskNetworkAttachment>? Attachments { get; set; }

        /// <summary>A start or stop is under way; the next round leaves the task alone until it ends.</summary>
        public bool Busy { get; set; }
    }
}
