using Berth.Client;

namespace Berth.Compose.Execution;

public sealed partial class ProjectRunner
{
    /// <summary><c>start</c>: the existing containers of the services (all when none), in dependency order.</summary>
    public async Task StartAsync(IReadOnlyList<string> services, CancellationToken ct)
    {
        var order = DependencyOrder.Select(project, services, noDeps: true);
        var containers = await ContainersAsync(true, OneOffs.Exclude, order, ct);
        if (containers.Count == 0)
            throw new ComposeException("no containers to start");
        await StartInOrderAsync(order.Where(name => containers.Any(c => c.Service == name)).ToList(), ct);
    }

    /// <summary><c>stop</c>: running containers, dependents first.</summary>
    public async Task StopAsync(IReadOnlyList<string> services, int? timeout, CancellationToken ct)
    {
        foreach (var container in await InStopOrderAsync(services, all: false, ct))
            await StopContainerAsync(container, timeout, ct);
    }

    /// <summary><c>restart</c>: every container of the services (stopped ones too), in dependency order.</summary>
    public async Task RestartAsync(IReadOnlyList<string> services, int? timeout, CancellationToken ct)
    {
        var order = DependencyOrder.Select(project, services, noDeps: true);
        var containers = await ContainersAsync(true, OneOffs.Exclude, order, ct);
        foreach (var name in order)
        {
            foreach (var container in containers.Where(c => c.Service == name))
            {
                progress.Report("Container", container.Name, "Restarting");
                await Engine(() => client.RestartContainerAsync(container.Id, timeout, null, ct));
                progress.Report("Container", container.Name, "Started");
            }
        }
    }

    /// <summary><c>kill</c>: running containers, with the signal given (SIGKILL by default).</summary>
    public async Task KillAsync(IReadOnlyList<string> services, string? signal, CancellationToken ct)
    {
        foreach (var container in await InStopOrderAsync(services, all: false, ct))
        {
            progress.Report("Container", container.Name, "Killing");
            await Engine(() => client.KillContainerAsync(container.Id, signal, ct));
            progress.Report("Container", container.Name, "Killed");
        }
    }

    public async Task PauseAsync(IReadOnlyList<string> services, CancellationToken ct)
    {
        foreach (var container in await InStopOrderAsync(services, all: false, ct))
        {
            if (container.State != "running")
                continue;
            progress.Report("Container", container.Name, "Pausing");
            await Engine(() => client.PauseContainerAsync(container.Id, ct));
            progress.Report("Container", container.Name, "Paused");
        }
    }

    public async Task UnpauseAsync(IReadOnlyList<string> services, CancellationToken ct)
    {
        foreach (var container in await InStopOrderAsync(services, all: false, ct))
        {
            if (container.State != "paused")
                continue;
            progress.Report("Container", container.Name, "Unpausing");
            await Engine(() => client.UnpauseContainerAsync(container.Id, ct));
            progress.Report("Container", container.Name, "Unpaused");
        }
    }

    /// <summary>
    /// <c>rm</c>: the stopped containers of the services (one-off ones too); with <paramref name="stopFirst"/> running
    /// ones are stopped and removed as well. <paramref name="volumes"/> removes their anonymous volumes.
    /// </summary>
    public async Task RemoveAsync(IReadOnlyList<string> services, bool stopFirst, bool volumes, CancellationToken ct)
    {
        var order = DependencyOrder.SelectReversed(project, services);
        var containers = await ContainersAsync(true, OneOffs.Include, services.Count == 0 ? null : order, ct);
        foreach (var container in containers.OrderBy(c => order.IndexOf(c.Service)))
        {
            if (container.IsRunning && !stopFirst)
                continue;
            await StopAndRemoveAsync(container, null, volumes, ct);
        }
    }

    /// <summary>The containers of the services, dependents first (services not in the project last).</summary>
    private async Task<List<ProjectContainer>> InStopOrderAsync(IReadOnlyList<string> services, bool all, CancellationToken ct)
    {
        var order = DependencyOrder.SelectReversed(project, services);
        var containers = await ContainersAsync(all, OneOffs.Exclude, order, ct);
        return containers.OrderBy(c => order.IndexOf(c.Service)).ToList();
    }

    private static async Task Engine(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (EngineApiException e)
        {
            throw new ComposeException(e.Message);
        }
    }
}
