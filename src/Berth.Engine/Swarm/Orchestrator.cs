using System.Net;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Networks;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm's orchestrator, allocator and scheduler in one loop: each pass reads the manager's own task containers back
/// into the tasks' states, gives every slot of every service a running task on a node the <see cref="Scheduler"/>
/// picks (restarting by the service's restart policy, and moving tasks off nodes that went down or were drained),
/// replaces out-of-date tasks batch by batch (rolling updates), removes what scaling down or removing a service left,
/// trims old tasks to the cluster's history limit, sends each worker node its tasks (<see cref="Dispatch"/>) and
/// keeps the routing mesh's ports. The manager's own tasks run here through the <see cref="TaskRunner"/>.
/// A pass runs on every change and once a second (<see cref="TaskLoop"/>), so delayed restarts and update batches come due.
/// </summary>
public sealed partial class Orchestrator
{
    private readonly SwarmManager _manager;
    private readonly SwarmStore _store;
    private readonly ContainerService _containers;
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly TaskLoop _loop;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _lastBatch = [];

    internal Orchestrator(SwarmManager manager, SwarmStore store, ContainerService containers, Images.ImageStore images, EventBus events, ILogger logger)
    {
        _manager = manager;
        _store = store;
        _containers = containers;
        _events = events;
        _logger = logger;
        _loop = new TaskLoop(PassAsync, logger, "orchestrator");
        Runner = new TaskRunner(containers, images, logger);
        Worker = new WorkerTasks(Runner, () => _store.Root, () => Mesh, logger);
    }

    /// <summary>This node's tasks when it is a worker: what its manager assigns.</summary>
    public WorkerTasks Worker { get; }

    /// <summary>This node's executor: the manager's own tasks, and a worker's assigned ones.</summary>
    public TaskRunner Runner { get; }

    /// <summary>Set by the daemon: endpoints for a task's container, as POST /containers/create plans them.</summary>
    public NetworkService? Networks { get => Runner.Networks; set => Runner.Networks = value; }

    /// <summary>Set by the daemon: pulls an image a task needs and the engine lacks (the registry side lives there).</summary>
    public Func<string, CancellationToken, Task>? PullImage { get => Runner.PullImage; set => Runner.PullImage = value; }

    /// <summary>Set by the daemon: an HTTP client reaching a worker node's daemon through its tunnel (null while it has none).</summary>
    public Func<string, HttpClient?>? NodeClients { get; set; }

    public RoutingMesh? Mesh { get; set; }

    /// <summary>Asks for a pass soon (changes arrive while one runs: one more pass then picks them up).</summary>
    public void Kick() => _loop.Kick();

    /// <summary>The daemon's lifetime loop: the manager's passes, and this node's assigned tasks when it is a worker.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_loop.RunAsync(_events, cancellationToken), Worker.RunAsync(_events, cancellationToken));

    public async Task PassAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            // Not a manager (no swarm, or a worker, whose tasks the manager sends): nothing to orchestrate here.
            if (!_store.Active) return;
            Observe();
            // Before tasks start here: after a restart this node's allocator learns the addresses other nodes' tasks hold.
            SyncOverlays();
            await RemoveOrphanedTasksAsync(cancellationToken);
            foreach (var service in _store.Services) await ReconcileAsync(service, cancellationToken);
            await TrimHistoryAsync(cancellationToken);
            SyncOverlays();
            await DispatchAsync(cancellationToken);
            if (Mesh is not null) await Mesh.SyncAsync(MeshPorts());
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Leaving the swarm: every task's container on this node goes, at once.</summary>
    public async Task RemoveAllTaskContainersAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            Worker.Reset();
            await Runner.RemoveAllTaskContainersAsync();
            if (Mesh is not null) await Mesh.SyncAsync([]);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Reads each live task's container on this node back into the task's state (workers report theirs).</summary>
    private void Observe()
    {
        foreach (var task in _store.Tasks)
        {
            if (!IsLocal(task) || Runner.Observe(task) is not { } status) continue;
            _store.EditTask(task.ID, t =>
            {
                t.DesiredState = TaskStates.DesiredAfterEnd(t, status);
                t.Status = status;
            });
        }
    }

    private async Task RemoveOrphanedTasksAsync(CancellationToken cancellationToken)
    {
        var orphans = _store.Tasks.Where(t => _store.TryGetService(t.ServiceID) is null).ToList();
        await Task.WhenAll(orphans.Select(async task =>
        {
            await ShutdownAsync(task, cancellationToken);
            await RemoveContainerAsync(task, force: true);
            _store.RemoveTask(task.ID);
        }));
    }

    private async Task TrimHistoryAsync(CancellationToken cancellationToken)
    {
        int limit = _manager.TaskHistoryLimit;
        var surplus = _store.Tasks.GroupBy(SlotKey)
            .SelectMany(slot => slot.OrderByDescending(t => t.CreatedAt, StringComparer.Ordinal)
                .Where(t => t.DesiredState != "running").Skip(Math.Max(0, limit - 1)))
            .Where(t => IsTerminal(t) && !CompletesCurrentJob(t))
            .ToList();
        await Task.WhenAll(surplus.Select(async task =>
        {
            await RemoveContainerAsync(task, force: true);
            _store.RemoveTask(task.ID);
        }));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private IEnumerable<(string ServiceId, int Published, int Target, IReadOnlyList<IPEndPoint> Backends)> MeshPorts() =>
        RoutingMesh.PortsOf(_store.Services, _store.Tasks.Where(IsLocal), _containers.Store, WorkerMeshBackends());

    /// <summary>
    /// The manager's mesh reaches the tasks of other nodes through their own mesh ports: each worker that is ready and
    /// has an address of its own (not this host's: its port would be this one) is a backend once per task of the
    /// service it runs, so that connections spread evenly over the tasks.
    /// </summary>
    private Func<string, int, IEnumerable<IPEndPoint>> WorkerMeshBackends()
    {
        string own = _store.TryGetNode(_manager.NodeId)?.Status.Addr ?? "";
        var running = _store.Tasks.Where(t => !IsLocal(t) && TaskStates.IsWanted(t) && t.Status.State == "running")
            .GroupBy(t => (t.ServiceID, t.NodeID!)).ToDictionary(g => g.Key, g => g.Count());
        var workers = _store.Nodes
            .Where(n => n.ID != _manager.NodeId && n.Status.State == "ready" && n.Status.Addr != own && IPAddress.TryParse(n.Status.Addr, out _))
            .ToList();
        return (serviceId, published) => workers.SelectMany(node =>
            Enumerable.Repeat(new IPEndPoint(IPAddress.Parse(node.Status.Addr), published), running.GetValueOrDefault((serviceId, node.ID))));
    }

    internal static string SlotKey(SwarmTask task) => task.ServiceID + "/" + (task.Slot != 0 ? task.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture) : task.NodeID);

    internal static bool IsTerminal(SwarmTask task) => TaskRunner.IsTerminal(task);

    /// <summary>Whether this node runs the task (the manager's own tasks; the rest are its workers').</summary>
    private bool IsLocal(SwarmTask task) => task.NodeID == _manager.NodeId;

    /// <summary>Removes a task's container here; a worker removes its own once the task leaves its assignment.</summary>
    private async Task RemoveContainerAsync(SwarmTask task, bool force)
    {
        if (IsLocal(task)) await Runner.RemoveAsync(task, _store.Root, force);
    }
}
