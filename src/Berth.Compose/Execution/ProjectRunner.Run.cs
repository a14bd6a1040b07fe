using Berth.Compose.Model;

namespace Berth.Compose.Execution;

public sealed partial class ProjectRunner
{
    /// <summary>
    /// <c>run</c>: brings up what the service depends on (unless NoDeps) and waits for their conditions, then creates
    /// the one-off container and returns its ID; the CLI attaches to it and starts it.
    /// </summary>
    public async Task<string> CreateOneOffAsync(string serviceName, RunOptions options, CancellationToken ct)
    {
        if (!project.Services.TryGetValue(serviceName, out var service))
            throw new ComposeException($"no such service: {serviceName}");
        var dependencies = options.NoDeps
            ? []
            : DependencyOrder.Select(project, [serviceName], noDeps: false).Where(name => name != serviceName).ToList();
        if (dependencies.Count > 0)
        {
            await UpAsync(new UpOptions { Services = dependencies, NoDeps = true, Pull = options.Pull, RemoveOrphans = options.RemoveOrphans }, ct);
            await Waiter.WaitAsync(service, name => ServiceContainersAsync(name, ct), ct);
        }
        else
        {
            await HandleOrphansAsync(options.RemoveOrphans, null, ct);
        }
        await new NetworkEnsurer(client, project, progress, composeVersion).EnsureAsync(NetworkEnsurer.UsedBy(project, [service]), ct);
        await new VolumeEnsurer(client, project, progress, composeVersion).EnsureAsync(ct);
        var imageIds = await Images.EnsureAsync([service], options.Pull, options.Build, noBuild: false, new BuildOptions(), ct);

        var oneOff = WithRunOverrides(service, options);
        string slug = ContainerNaming.NewSlug();
        string name = options.Name ?? ContainerNaming.OneOff(project.Name, service.Name, slug);
        var labels = ComposeLabels.ForContainer(project, oneOff, 1, oneOff: true, ConfigHash.Of(oneOff), imageIds[service.Name], composeVersion);
        labels[ComposeLabels.Slug] = slug;
        var request = new ContainerCreateRequest
        {
            Project = project,
            Service = oneOff,
            Name = name,
            Labels = labels,
            Image = ImageEnsurer.ImageName(project, service),
            ServiceContainers = await ContainerRefsAsync(ct),
            UseNetworkAliases = options.UseAliases,
            AutoRemove = options.AutoRemove,
            AttachStdin = options.Interactive,
        };
        return await new ContainerCreator(client).CreateAsync(CreateBodyBuilder.Build(request), name, service.Platform, ct);
    }

    /// <summary>The service as <c>run</c> changes it: its ports only with --service-ports, no fixed name, and the overrides.</summary>
    public static ServiceConfig WithRunOverrides(ServiceConfig service, RunOptions options)
    {
        var environment = new Dictionary<string, string?>(service.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in options.Environment)
            environment[key] = value;
        var labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels)
            labels[key] = value;
        var targets = options.Volumes.Select(v => v.Target).ToHashSet(StringComparer.Ordinal);
        return service with
        {
            ContainerName = null,
            Command = options.Command ?? service.Command,
            Entrypoint = options.Entrypoint ?? service.Entrypoint,
            Environment = environment,
            Labels = labels,
            User = options.User ?? service.User,
            WorkingDir = options.WorkingDir ?? service.WorkingDir,
            Ports = [.. options.ServicePorts ? service.Ports : [], .. options.Publish],
            Volumes = [.. service.Volumes.Where(v => !targets.Contains(v.Target)), .. options.Volumes],
            Tty = options.Tty,
            StdinOpen = options.Interactive,
            // The daemon refuses a restart policy on a container it removes itself.
            Restart = options.AutoRemove ? null : service.Restart,
        };
    }
}
