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
        => await InStopWavesAsync(await ContainersOfAsync(services, all: false, ct), c => StopContainerAsync(c, timeout, ct));

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
        => await InStopWavesAsync(await ContainersOfAsync(services, all: false, ct), async container =>
        {
            progress.Report("Container", container.Name, "Killing");
            await Engine(() => client.KillContainerAsync(container.Id, signal, ct));
            progress.Report("Container", container.Name, "Killed");
        });

    public async Task PauseAsync(IReadOnlyList<string> services, CancellationToken ct)
        => await InStopWavesAsync((await ContainersOfAsync(services, all: false, ct)).Where(c => c.State == "running"), async container =>
        {
            progress.Report("Container", container.Name, "Pausing");
            await Engine(() => client.PauseContainerAsync(container.Id, ct));
            progress.Report("Container", container.Name, "Paused");
        });

    public async Task UnpauseAsync(IReadOnlyList<string> services, CancellationToken ct)
        => await InStopWavesAsync((await ContainersOfAsync(services, all: false, ct)).Where(c => c.State == "paused"), async container =>
        {
            progress.Report("Container", container.Name, "Unpausing");
            await Engine(() => client.UnpauseContainerAsync(container.Id, ct));
            progress.Report("Container", container.Name, "Unpaused");
        });

    /// <summary>
    /// <c>rm</c>: the stopped containers of the services (one-off ones too); with <paramref name="stopFirst"/> running
    /// ones are stopped and removed as well. <paramref name="volumes"/> removes their anonymous volumes.
    /// </summary>
    public async Task RemoveAsync(IReadOnlyList<string> services, bool stopFirst, bool volumes, CancellationToken ct)
    {
        var selected = services.Count == 0 ? null : DependencyOrder.Select(project, services, noDeps: true);
        var containers = await ContainersAsync(true, OneOffs.Include, selected, ct);
        await InStopWavesAsync(containers.Where(c => stopFirst || !c.IsRunning), c => StopAndRemoveAsync(c, null, volumes, ct));
    }

    /// <summary>The containers of the services named (all when none), one-off ones left out.</summary>
    private async Task<List<ProjectContainer>> ContainersOfAsync(IReadOnlyList<string> services, bool all, CancellationToken ct)
        => await ContainersAsync(all, OneOffs.Exclude, DependencyOrder.Select(project, services, noDeps: true), ct);

    /// <summary>
    /// Acts on containers in waves, dependents first, as Compose does: a wave holds every container at one depth of the
    /// dependency graph and they are acted on at once (stopping five containers with a 10 s grace period takes 10 s,
    /// not 50). One-off containers and those of services the project no longer has come in the first wave.
    /// </summary>
    private async Task InStopWavesAsync(IEnumerable<ProjectContainer> containers, Func<ProjectContainer, Task> action)
    {
        var levels = DependencyOrder.Levels(project);
        var waves = containers
            .GroupBy(c => !c.OneOff && levels.TryGetValue(c.Service, out int level) ? level : int.MaxValue)
            .OrderByDescending(wave => wave.Key);
        foreach (var wave in waves)
            await Task.WhenAll(wave.Select(action));
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
