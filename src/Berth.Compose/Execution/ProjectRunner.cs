using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Http;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// Carries out Compose commands for one project on a daemon, through the Engine API only. Containers, networks
/// and volumes are found again by Compose's labels, so a project started by <c>docker compose</c> is handled too.
/// Services are handled one after another in dependency order (Compose v2 runs them in parallel; the outcome is the same).
/// </summary>
public sealed partial class ProjectRunner(EngineClient client, ComposeProject project, IComposeProgress progress, string composeVersion)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Registry credentials for pulls, pushes and builds; anonymous unless the CLI sets them.</summary>
    public RegistryAccess Registry { get; init; } = RegistryAccess.Anonymous;

    public ComposeProject Project => project;

    /// <summary>How a build context directory becomes the tar sent to the daemon (the CLI's context code).</summary>
    public required BuildContextPreparer PrepareBuildContext { get; init; }

    private ImageEnsurer Images => new(client, project, progress, Registry, PrepareBuildContext);
    private DependencyWaiter Waiter => new(client, project, progress);

    private enum OneOffs { Exclude, Include, Only }

    /// <summary>The project's containers, by Compose's labels, sorted by service then number.</summary>
    private async Task<List<ProjectContainer>> ContainersAsync(bool all, OneOffs oneOffs, IReadOnlyCollection<string>? services, CancellationToken ct)
    {
        var filters = new Filters().Add("label", $"{ComposeLabels.Project}={project.Name}");
        if (oneOffs == OneOffs.Exclude)
            filters.Add("label", $"{ComposeLabels.OneOff}=False");
        else if (oneOffs == OneOffs.Only)
            filters.Add("label", $"{ComposeLabels.OneOff}=True");
        var list = await client.ListContainersAsync(all, 0, false, filters, ct);
        return list.OfType<JsonObject>().Select(ProjectContainer.FromListEntry)
            .Where(c => services is null || services.Count == 0 || services.Contains(c.Service))
            .OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.OneOff).ThenBy(c => c.Number).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>For ps, logs, exec, top and port: the containers of the services named (all when none).</summary>
    public async Task<IReadOnlyList<ProjectContainer>> ListContainersAsync(IReadOnlyList<string> services, bool all, bool includeOneOff, CancellationToken ct)
        => await ContainersAsync(all, includeOneOff ? OneOffs.Include : OneOffs.Exclude, services, ct);

    private async Task<IReadOnlyList<ProjectContainer>> ServiceContainersAsync(string service, CancellationToken ct)
        => await ContainersAsync(true, OneOffs.Exclude, [service], ct);

    /// <summary>Containers whose service the project does not know (disabled services are known).</summary>
    private bool IsOrphan(ProjectContainer container)
        => !project.Services.ContainsKey(container.Service) && !project.DisabledServices.ContainsKey(container.Service);

    private void WarnOrphans(IEnumerable<ProjectContainer> orphans)
    {
        var names = orphans.Select(c => c.Name).ToList();
        if (names.Count > 0)
            progress.Warn($"Found orphan containers ([{string.Join(' ', names)}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
    }

    private async Task StartContainerAsync(ProjectContainer container, CancellationToken ct)
    {
        progress.Report("Container", container.Name, "Starting");
        try
        {
            await client.StartContainerAsync(container.Id, null, ct);
        }
        catch (EngineApiException e)
        {
            progress.Report("Container", container.Name, "Error");
            throw new ComposeException(e.Message);
        }
        progress.Report("Container", container.Name, "Started");
    }

    private async Task StopContainerAsync(ProjectContainer container, int? timeout, CancellationToken ct)
    {
        progress.Report("Container", container.Name, "Stopping");
        try
        {
            await client.StopContainerAsync(container.Id, timeout, null, ct);
        }
        catch (EngineApiException e) when (e.IsNotFound)
        {
        }
        progress.Report("Container", container.Name, "Stopped");
    }

    private async Task StopAndRemoveAsync(ProjectContainer container, int? timeout, bool volumes, CancellationToken ct)
    {
        if (container.IsRunning)
            await StopContainerAsync(container, timeout, ct);
        progress.Report("Container", container.Name, "Removing");
        try
        {
            await client.RemoveContainerAsync(container.Id, force: true, volumes, link: false, ct);
        }
        catch (EngineApiException e) when (e.IsNotFound)
        {
        }
        catch (EngineApiException e)
        {
            progress.Report("Container", container.Name, "Error");
            throw new ComposeException(e.Message);
        }
        progress.Report("Container", container.Name, "Removed");
    }

    /// <summary>How many containers a service should have: the command's override, else scale, else one.</summary>
    private static int ScaleOf(ServiceConfig service, IReadOnlyDictionary<string, int> overrides)
        => overrides.TryGetValue(service.Name, out int n) ? n : service.Scale ?? 1;
}
