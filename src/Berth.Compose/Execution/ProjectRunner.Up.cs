using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

public sealed partial class ProjectRunner
{
    /// <summary>
    /// <c>up</c>: networks, volumes and images first, then each service's containers created, recreated or scaled in
    /// dependency order, then started in that order, each after its dependencies' conditions hold.
    /// </summary>
    public async Task UpAsync(UpOptions options, CancellationToken ct)
    {
        var order = DependencyOrder.Select(project, options.Services, options.NoDeps);
        var services = order.Select(name => project.Services[name]).ToList();
        foreach (var service in services)
        {
            if (service.ContainerName is not null && ScaleOf(service, options.Scale) > 1)
                throw new ComposeException($"services.{service.Name}: can't set container_name and scale as container name must be unique");
        }
        await HandleOrphansAsync(options.RemoveOrphans, options.Timeout, ct);
        await new NetworkEnsurer(client, project, progress, composeVersion).EnsureAsync(NetworkEnsurer.UsedBy(project, services), ct);
        await new VolumeEnsurer(client, project, progress, composeVersion).EnsureAsync(ct);
        var imageIds = await Images.EnsureAsync(services, options.Pull, options.Build, options.NoBuild, options.BuildOptions, ct);

        var refs = await ContainerRefsAsync(ct);
        foreach (var service in services)
            await ConvergeAsync(service, ScaleOf(service, options.Scale), imageIds[service.Name], options, refs, ct);
        if (options.NoStart)
            return;
        await StartInOrderAsync(order, ct);
        if (options.Wait)
            await WaitUntilUpAsync(order, options.WaitTimeout, ct);
    }

    /// <summary><c>create</c>: up without starting.</summary>
    public Task CreateAsync(UpOptions options, CancellationToken ct) => UpAsync(options with { NoStart = true, Wait = false }, ct);

    private async Task HandleOrphansAsync(bool remove, int? timeout, CancellationToken ct)
    {
        var orphans = (await ContainersAsync(true, OneOffs.Exclude, null, ct)).Where(IsOrphan).ToList();
        if (!remove)
        {
            WarnOrphans(orphans);
            return;
        }
        foreach (var orphan in orphans)
            await StopAndRemoveAsync(orphan, timeout, volumes: false, ct);
    }

    private async Task<Dictionary<string, IReadOnlyList<ContainerRef>>> ContainerRefsAsync(CancellationToken ct)
        => (await ContainersAsync(true, OneOffs.Exclude, null, ct)).GroupBy(c => c.Service)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ContainerRef>)g.Select(c => new ContainerRef(c.Id, c.Name)).ToList(), StringComparer.Ordinal);

    /// <summary>Brings one service to <paramref name="scale"/> up-to-date containers; none is started here.</summary>
    private async Task ConvergeAsync(ServiceConfig service, int scale, string imageId, UpOptions options,
        Dictionary<string, IReadOnlyList<ContainerRef>> refs, CancellationToken ct)
    {
        var existing = (await ServiceContainersAsync(service.Name, ct)).OrderBy(c => c.Number).ToList();
        // Scaling down removes the highest numbers first.
        var surplus = existing.OrderByDescending(c => c.Number).Take(Math.Max(0, existing.Count - scale)).ToList();
        foreach (var container in surplus)
            await StopAndRemoveAsync(container, options.Timeout, volumes: false, ct);
        var kept = existing.Except(surplus).ToList();

        string hash = ConfigHash.Of(service);
        var result = new List<(int Number, ContainerRef Ref)>();
        foreach (var container in kept)
        {
            if (MustRecreate(container, service, hash, imageId, options, refs))
            {
                string id = await RecreateAsync(container, service, hash, imageId, options, refs, ct);
                result.Add((container.Number, new ContainerRef(id, container.Name)));
                continue;
            }
            result.Add((container.Number, new ContainerRef(container.Id, container.Name)));
            if (container.IsRunning)
                progress.Report("Container", container.Name, "Running");
        }
        foreach (int number in ContainerNaming.NumbersToCreate(kept.Select(c => c.Number), scale))
        {
            string name = ContainerNaming.ServiceContainer(project.Name, service, number);
            progress.Report("Container", name, "Creating");
            string id = await CreateServiceContainerAsync(service, number, name, name, hash, imageId, refs, new Dictionary<string, string>(), ct);
            progress.Report("Container", name, "Created");
            result.Add((number, new ContainerRef(id, name)));
        }
        refs[service.Name] = result.OrderBy(r => r.Number).Select(r => r.Ref).ToList();
    }

    private static bool MustRecreate(ProjectContainer container, ServiceConfig service, string hash, string imageId, UpOptions options,
        IReadOnlyDictionary<string, IReadOnlyList<ContainerRef>> refs)
    {
        if (options.ForceRecreate)
            return true;
        if (options.NoRecreate)
            return false;
        if (container.Label(ComposeLabels.ConfigHash) != hash)
            return true;
        if (container.Raw.Str("ImageID") is { Length: > 0 } current && current != imageId)
            return true;
        // A container sharing another service's network must follow that service's current container.
        if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal)
            && refs.TryGetValue(mode["service:".Length..], out var targets) && targets.Count > 0)
        {
            string actual = container.Raw.Obj("HostConfig").Str("NetworkMode");
            return actual.Length > 0 && actual != "container:" + targets[0].Id;
        }
        return false;
    }

    /// <summary>
    /// Compose's recreate: the new container is created under a temporary name (keeping the old one's anonymous
    /// volumes), the old one stopped and removed, and the new one renamed.
    /// </summary>
    private async Task<string> RecreateAsync(ProjectContainer old, ServiceConfig service, string hash, string imageId, UpOptions options,
        IReadOnlyDictionary<string, IReadOnlyList<ContainerRef>> refs, CancellationToken ct)
    {
        progress.Report("Container", old.Name, "Recreate");
        var inherited = options.RenewAnonymousVolumes
            ? new Dictionary<string, string>()
            : ContainerCreator.AnonymousVolumes(await client.InspectContainerAsync(old.Id, false, ct), service);
        string name = ContainerNaming.ServiceContainer(project.Name, service, old.Number);
        string id = await CreateServiceContainerAsync(service, old.Number, name, ContainerNaming.Replacement(old.Id, name), hash, imageId, refs, inherited, ct);
        if (old.IsRunning)
            await client.StopContainerAsync(old.Id, options.Timeout, null, ct);
        await client.RemoveContainerAsync(old.Id, force: true, volumes: false, link: false, ct);
        await client.RenameContainerAsync(id, name, ct);
        progress.Report("Container", name, "Recreated");
        return id;
    }

    private async Task<string> CreateServiceContainerAsync(ServiceConfig service, int number, string name, string createName, string hash,
        string imageId, IReadOnlyDictionary<string, IReadOnlyList<ContainerRef>> refs, IReadOnlyDictionary<string, string> inherited, CancellationToken ct)
    {
        var request = new ContainerCreateRequest
        {
            Project = project,
            Service = service,
            Name = name,
            Labels = ComposeLabels.ForContainer(project, service, number, oneOff: false, hash, imageId, composeVersion),
            Image = ImageEnsurer.ImageName(project, service),
            ServiceContainers = refs,
            InheritedVolumes = inherited,
        };
        return await new ContainerCreator(client).CreateAsync(CreateBodyBuilder.Build(request), createName, service.Platform, ct);
    }

    /// <summary>Starts the stopped containers of the services, each service after its dependencies' conditions.</summary>
    private async Task StartInOrderAsync(IReadOnlyList<string> order, CancellationToken ct)
    {
        // Services at one depth of the dependency graph need nothing of each other: they start together, as Compose
        // starts them, each once its own depends_on conditions hold.
        var levels = DependencyOrder.Levels(project);
        foreach (var wave in order.GroupBy(name => levels[name]).OrderBy(wave => wave.Key))
        {
            await Task.WhenAll(wave.Select(async name =>
            {
                await Waiter.WaitAsync(project.Services[name], service => ServiceContainersAsync(service, ct), ct);
                var stopped = (await ServiceContainersAsync(name, ct)).Where(c => !c.IsRunning);
                await Task.WhenAll(stopped.Select(c => StartContainerAsync(c, ct)));
            }));
        }
    }

    /// <summary>up --wait: every container running, and healthy when it has a health check.</summary>
    private async Task WaitUntilUpAsync(IReadOnlyList<string> order, int? timeoutSeconds, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeoutSeconds is { } seconds)
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        // One-shot services that others wait for may exit, with 0.
        var mayComplete = project.Services.Values.SelectMany(s => s.DependsOn)
            .Where(d => d.Value.Condition == "service_completed_successfully").Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var name in order)
            {
                foreach (var container in await ServiceContainersAsync(name, ct))
                {
                    progress.Report("Container", container.Name, "Waiting");
                    await WaitContainerUpAsync(container, mayComplete.Contains(name), timeout.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ComposeException("timeout waiting for the project's containers to be running and healthy");
        }
    }

    private async Task WaitContainerUpAsync(ProjectContainer container, bool mayComplete, CancellationToken ct)
    {
        while (true)
        {
            var state = (await client.InspectContainerAsync(container.Id, false, ct)).Obj("State");
            string status = state.Str("Status");
            if (status is "exited" or "dead")
            {
                long exitCode = state.Long("ExitCode");
                if (mayComplete && exitCode == 0)
                {
                    progress.Report("Container", container.Name, "Exited");
                    return;
                }
                progress.Report("Container", container.Name, "Error");
                throw new ComposeException($"container {container.Name} exited ({exitCode})");
            }
            if (status == "running")
            {
                switch (state.Obj("Health")?.Str("Status"))
                {
                    case null or "" or "healthy":
                        progress.Report("Container", container.Name, "Healthy");
                        return;
                    case "unhealthy":
                        progress.Report("Container", container.Name, "Error");
                        throw new ComposeException($"container {container.Name} is unhealthy");
                }
            }
            await Task.Delay(PollInterval, ct);
        }
    }
}
