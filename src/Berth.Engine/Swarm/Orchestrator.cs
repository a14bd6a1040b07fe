using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Networks;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm's orchestrator, allocator, scheduler and executor in one loop, for a single node: each pass reads the tasks'
/// containers back into the tasks' states, gives every slot of every service a running task (restarting by the
/// service's restart policy), replaces out-of-date tasks batch by batch (rolling updates), removes what scaling down
/// or removing a service left, trims old tasks to the cluster's history limit, and keeps the routing mesh's ports.
/// A pass runs on every change and once a second, so delayed restarts and update batches come due.
/// </summary>
public sealed partial class Orchestrator
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly SwarmManager _manager;
    private readonly SwarmStore _store;
    private readonly ContainerService _containers;
    private readonly Images.ImageStore _images;
    private readonly EventBus _events;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _lastBatch = [];

    internal Orchestrator(SwarmManager manager, SwarmStore store, ContainerService containers, Images.ImageStore images, EventBus events, ILogger logger)
    {
        _manager = manager;
        _store = store;
        _containers = containers;
        _images = images;
        _events = events;
        _logger = logger;
    }

    /// <summary>Set by the daemon: endpoints for a task's container, as POST /containers/create plans them.</summary>
    public NetworkService? Networks { get; set; }

    /// <summary>Set by the daemon: pulls an image a task needs and the engine lacks (the registry side lives there).</summary>
    public Func<string, CancellationToken, Task>? PullImage { get; set; }

    public RoutingMesh? Mesh { get; set; }

    /// <summary>Asks for a pass soon (changes arrive while one runs: one more pass then picks them up).</summary>
    public void Kick()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already asked for.
        }
    }

    /// <summary>The daemon's lifetime loop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var subscription = _events.Subscribe(null);
        _ = WatchContainersAsync(subscription, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(Tick, cancellationToken);
                await PassAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPassFailed(_logger, exception);
            }
        }
    }

    /// <summary>A container of a task that dies or goes away is a change to act on at once, not at the next tick.</summary>
    private async Task WatchContainersAsync(EventBus.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var engineEvent in subscription.Live.ReadAllAsync(cancellationToken))
                if (engineEvent.Type == "container" && engineEvent.Action is "die" or "destroy" or "start"
                    && engineEvent.Attributes.ContainsKey(TaskContainers.TaskIdLabel))
                    Kick();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task PassAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            if (!_store.Active)
            {
                if (Mesh is not null) await Mesh.SyncAsync([]);
                return;
            }
            Observe();
            await RemoveOrphanedTasksAsync(cancellationToken);
            foreach (var service in _store.Services) await ReconcileAsync(service, cancellationToken);
            await TrimHistoryAsync(cancellationToken);
            if (Mesh is not null) await Mesh.SyncAsync(MeshPorts());
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Leaving the swarm: every task's container goes, at once.</summary>
    public async Task RemoveAllTaskContainersAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            await Task.WhenAll(_store.Tasks.Select(t => RemoveContainerAsync(t, force: true)));
            if (Mesh is not null) await Mesh.SyncAsync([]);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Reads each live task's container back into the task's state.</summary>
    private void Observe()
    {
        foreach (var task in _store.Tasks)
        {
            if (task.Status.ContainerStatus is not { ContainerID.Length: > 0 } status) continue;
            if (task.Status.State is not ("starting" or "running")) continue;
            var container = _containers.Store.TryGet(status.ContainerID);
            if (container is null)
            {
                SetState(task.ID, "failed", "started", "task: container removed", shutdown: true);
                continue;
            }
            if (container.State.Running) continue;
            if (container.State.Status is not ("exited" or "dead")) continue;
            int code = container.State.ExitCode;
            _store.EditTask(task.ID, t =>
            {
                t.DesiredState = "shutdown";
                t.Status = new SwarmTaskStatus
                {
                    Timestamp = ApiTime.Format(container.State.FinishedAt ?? DateTimeOffset.UtcNow),
                    State = code == 0 ? "complete" : "failed",
                    Message = code == 0 ? "finished" : "started",
                    Err = code == 0 ? null : $"task: non-zero exit ({code})",
                    ContainerStatus = new TaskContainerStatus { ContainerID = container.Id, ExitCode = code },
                };
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
            .Where(IsTerminal)
            .ToList();
        await Task.WhenAll(surplus.Select(async task =>
        {
            await RemoveContainerAsync(task, force: true);
            _store.RemoveTask(task.ID);
        }));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private IEnumerable<(string ServiceId, int Published, int Target, IReadOnlyList<System.Net.IPEndPoint> Backends)> MeshPorts()
    {
        foreach (var service in _store.Services)
        {
            var ports = (service.Endpoint.Ports ?? []).Where(p => p.PublishMode == "ingress" && p.Protocol == "tcp").ToList();
            if (ports.Count == 0) continue;
            var addresses = _store.Tasks
                .Where(t => t.ServiceID == service.ID && t.DesiredState == "running" && t.Status.State == "running")
                .Select(t => _containers.Store.TryGet(t.Status.ContainerStatus?.ContainerID ?? ""))
                .Select(c => c?.Networking.Endpoints.FirstOrDefault()?.IPAddress)
                .Where(ip => !string.IsNullOrEmpty(ip))
                .Select(ip => System.Net.IPAddress.Parse(ip!))
                .ToList();
            foreach (var port in ports)
                yield return (service.ID, (int)port.PublishedPort, (int)port.TargetPort,
                    addresses.Select(a => new System.Net.IPEndPoint(a, (int)port.TargetPort)).ToList());
        }
    }

    internal static string SlotKey(SwarmTask task) => task.ServiceID + "/" + (task.Slot != 0 ? task.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture) : task.NodeID);

    internal static bool IsTerminal(SwarmTask task) => task.Status.State is "complete" or "failed" or "rejected" or "shutdown" or "orphaned" or "remove";

    private void SetState(string taskId, string state, string message, string? error, bool shutdown)
    {
        _store.EditTask(taskId, t =>
        {
            if (shutdown) t.DesiredState = "shutdown";
            t.Status = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow),
                State = state,
                Message = message,
                Err = error,
                ContainerStatus = t.Status.ContainerStatus,
            };
        });
    }

    private async Task RemoveContainerAsync(SwarmTask task, bool force)
    {
        TaskSecretFiles.Remove(_store, task.ID);
        if (task.Status.ContainerStatus?.ContainerID is not { Length: > 0 } id || _containers.Store.TryGet(id) is null) return;
        try
        {
            await _containers.RemoveAsync(id, force, removeVolumes: false, CancellationToken.None);
        }
        catch (BerthException exception) when (exception.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            // Gone already, or being removed by someone else.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "swarm orchestrator pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "swarm task {TaskId}: {Message}")]
    private static partial void LogTaskFailed(ILogger logger, string taskId, string message);
}
