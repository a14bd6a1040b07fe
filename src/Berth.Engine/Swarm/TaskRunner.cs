using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Networks;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm's executor on one node: turns a task into a container of this engine and reads the container back into
/// the task's status. The manager runs its own tasks through it; a worker runs the tasks its manager assigns it.
/// </summary>
public sealed partial class TaskRunner(ContainerService containers, Images.ImageStore images, ILogger logger)
{
    /// <summary>Set by the daemon: endpoints for a task's container, as POST /containers/create plans them.</summary>
    public NetworkService? Networks { get; set; }

    /// <summary>Set by the daemon: pulls an image a task needs and the engine lacks (the registry side lives there).</summary>
    public Func<string, CancellationToken, Task>? PullImage { get; set; }

    public ContainerService Containers => containers;

    /// <summary>
    /// Creates and starts the task's container. <paramref name="progress"/> hears the "starting" status once the
    /// container exists; the answer is the task's status after the start (running, or why it was rejected or failed)
    /// and its network attachments.
    /// </summary>
    public async Task<(SwarmTaskStatus Status, List<TaskNetworkAttachment>? Attachments)> StartAsync(
        SwarmTask task, JsonObject serviceSpec, string nodeId, TaskSecretSource secrets, Action<SwarmTaskStatus> progress,
        CancellationToken cancellationToken)
    {
        string? containerId = null;
        try
        {
            string serviceName = ServiceSpecs.Name(serviceSpec);
            string taskName = TaskContainers.TaskName(serviceName, task);
            var (config, host) = TaskContainers.Build(task, serviceName, taskName, nodeId);
            PublishHostPorts(serviceSpec, config, host);
            host.Mounts = TaskSecretFiles.Write(secrets, task, host.Mounts);
            if (images.TryResolve(config.Image) is null && PullImage is not null)
                await PullImage(config.Image, cancellationToken);
            var endpoints = Networks is null ? null : TaskNetworks.PlanEndpoints(Networks, serviceSpec, task, serviceName, host);
            var container = await containers.CreateAsync(TaskContainers.ContainerName(taskName, task), config, host, cancellationToken, endpoints);
            containerId = container.Id;
            progress(new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "starting", Message = "starting",
                ContainerStatus = new TaskContainerStatus { ContainerID = container.Id },
            });
            await containers.StartAsync(container.Id, cancellationToken);
            var started = containers.Store.TryGet(container.Id);
            var running = new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "running", Message = "started",
                ContainerStatus = new TaskContainerStatus { ContainerID = container.Id, PID = started?.State.Pid ?? 0 },
                PortStatus = HostPortStatus(started),
            };
            return (running, Networks is not null && started is not null ? TaskNetworks.AttachmentsOf(Networks, started) : null);
        }
        catch (BerthException exception)
        {
            LogTaskFailed(logger, task.ID, exception.Message);
            return (new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow),
                State = containerId is null ? "rejected" : "failed",
                Message = containerId is null ? "preparing" : "starting",
                Err = exception.Message,
                ContainerStatus = containerId is null ? null : new TaskContainerStatus { ContainerID = containerId, ExitCode = 128 },
            }, null);
        }
    }

    /// <summary>
    /// Ports the service publishes in host mode: bound on the node that runs the task, straight to its container
    /// (a published port of 0 takes any free one; the task's PortStatus tells which).
    /// </summary>
    private static void PublishHostPorts(JsonObject serviceSpec, ContainerConfig config, HostConfig host)
    {
        foreach (var (protocol, target, published, mode) in ServiceSpecs.Ports(serviceSpec))
        {
            if (mode != "host") continue;
            string key = $"{target.ToString(CultureInfo.InvariantCulture)}/{protocol}";
            (config.ExposedPorts ??= [])[key] = new Berth.Api.Json.EmptyObject();
            var bindings = (host.PortBindings ??= []).TryGetValue(key, out var list) && list is not null ? list : host.PortBindings[key] = [];
            bindings.Add(new PortBinding { HostPort = published == 0 ? "" : published.ToString(CultureInfo.InvariantCulture) });
        }
    }

    /// <summary>Task.Status.PortStatus: the host ports the task's container got, in swarm's PortConfig shape.</summary>
    private static JsonObject HostPortStatus(ContainerRecord? container)
    {
        var ports = new JsonArray();
        foreach (var (key, bindings) in container?.Networking.Ports ?? [])
        {
            var parts = key.Split('/');
            foreach (var binding in bindings ?? [])
            {
                if (binding.HostIp.Contains(':')) continue; // the IPv6 twin of the same port
                ports.Add((JsonNode)new JsonObject
                {
                    ["Protocol"] = parts.Length > 1 ? parts[1] : "tcp",
                    ["TargetPort"] = long.Parse(parts[0], CultureInfo.InvariantCulture),
                    ["PublishedPort"] = long.Parse(binding.HostPort, CultureInfo.InvariantCulture),
                    ["PublishMode"] = "host",
                });
            }
        }
        return ports.Count == 0 ? [] : new JsonObject { ["Ports"] = ports };
    }

    /// <summary>
    /// The status a task's container now gives it, when that differs from running: complete or failed once it
    /// exited, failed when it is gone. Null while it runs (or when the task never had a container).
    /// </summary>
    public SwarmTaskStatus? Observe(SwarmTask task)
    {
        if (task.Status.ContainerStatus is not { ContainerID.Length: > 0 } status) return null;
        if (task.Status.State is not ("starting" or "running")) return null;
        var container = containers.Store.TryGet(status.ContainerID);
        if (container is null)
            return new SwarmTaskStatus
            {
                Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "failed", Message = "started", Err = "task: container removed",
                ContainerStatus = task.Status.ContainerStatus,
            };
        if (container.State.Running || container.State.Status is not ("exited" or "dead")) return null;
        int code = container.State.ExitCode;
        return new SwarmTaskStatus
        {
            Timestamp = ApiTime.Format(container.State.FinishedAt ?? DateTimeOffset.UtcNow),
            State = code == 0 ? "complete" : "failed",
            Message = code == 0 ? "finished" : "started",
            Err = code == 0 ? null : $"task: non-zero exit ({code})",
            ContainerStatus = new TaskContainerStatus { ContainerID = container.Id, ExitCode = code },
        };
    }

    /// <summary>
    /// Stops a task's container gracefully (its stop grace period); answers the task's status afterwards (shutdown),
    /// or null when the task had already ended.
    /// </summary>
    public async Task<SwarmTaskStatus?> ShutdownAsync(SwarmTask task, CancellationToken cancellationToken)
    {
        if (task.Status.ContainerStatus?.ContainerID is { Length: > 0 } id && containers.Store.TryGet(id) is { State.Running: true })
        {
            try
            {
                await containers.StopAsync(id, null, null, cancellationToken);
            }
            catch (BerthException exception) when (exception.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
            {
            }
        }
        if (IsTerminal(task)) return null;
        var container = task.Status.ContainerStatus?.ContainerID is { Length: > 0 } cid ? containers.Store.TryGet(cid) : null;
        return new SwarmTaskStatus
        {
            Timestamp = ApiTime.Format(DateTimeOffset.UtcNow), State = "shutdown", Message = "shutdown",
            ContainerStatus = task.Status.ContainerStatus is { } s
                ? new TaskContainerStatus { ContainerID = s.ContainerID, ExitCode = container?.State.ExitCode ?? 0 }
                : null,
        };
    }

    /// <summary>Removes a task's container and its secret files.</summary>
    public async Task RemoveAsync(SwarmTask task, string secretsRoot, bool force)
    {
        TaskSecretFiles.Remove(secretsRoot, task.ID);
        if (task.Status.ContainerStatus?.ContainerID is not { Length: > 0 } id || containers.Store.TryGet(id) is null) return;
        await RemoveContainerAsync(id, force);
    }

    /// <summary>Every container that belongs to a swarm task, removed at once (leaving the swarm).</summary>
    public Task RemoveAllTaskContainersAsync() =>
        Task.WhenAll(containers.Store.List()
            .Where(c => c.Config.Labels?.ContainsKey(TaskContainers.TaskIdLabel) == true)
            .Select(c => RemoveContainerAsync(c.Id, force: true)));

    private async Task RemoveContainerAsync(string id, bool force)
    {
        try
        {
            await containers.RemoveAsync(id, force, removeVolumes: false, CancellationToken.None);
        }
        catch (BerthException exception) when (exception.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            // Gone already, or being removed by someone else.
        }
    }

    internal static bool IsTerminal(SwarmTask task) => task.Status.State is "complete" or "failed" or "rejected" or "shutdown" or "orphaned" or "remove";

    [LoggerMessage(Level = LogLevel.Warning, Message = "swarm task {TaskId}: {Message}")]
    private static partial void LogTaskFailed(ILogger logger, string taskId, string message);
}

/// <summary>Where a task's secret and config files go and where their data comes from (the manager's store, or an assignment).</summary>
public sealed record TaskSecretSource(string Root, Func<SwarmObjectKind, string, SwarmSecret?> Lookup);
