using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;
using Berth.Oci.ContainerFiles;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;

namespace Berth.Daemon.Endpoints;

/// <summary>/containers/…: the lifecycle endpoints (attach and logs have files of their own).</summary>
public static class ContainerEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var containers = services.Containers;
        app.MapPost("/containers/create", context => Create(context, services));
        app.MapGet("/containers/json", context => List(context, services));
        app.MapPost("/containers/prune", context => Prune(context, services));
        app.MapGet("/containers/{id}/json", context =>
        {
            var container = containers.Get(Id(context));
            var inspect = ContainerMapping.Inspect(container, containers);
            // Pointers in dockerd's inspect: with size=1 both are shown, zero included.
            if (Query.Bool(context, "size")) (inspect.SizeRw, inspect.SizeRootFs) = ContainerSizes.Of(container, services);
            return Json.WriteAsync(context, inspect, ApiJson.Context.ContainerInspect);
        });
        app.MapPost("/containers/{id}/start", async context =>
        {
            if (context.Request.ContentLength > 0 && RequestVersion.AtLeast(context, "1.24"))
            {
                // Docker refuses a HostConfig at start since 1.24; an empty object or null is fine.
                var body = await Json.ReadAsync(context, ApiJson.Context.HostConfig);
                if (body is not null && body.Binds is { Count: > 0 })
                    throw BerthException.Invalid("starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24");
            }
            await containers.StartAsync(Id(context), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/stop", async context =>
        {
            await containers.StopAsync(Id(context), Query.Int(context, "t"), Query.String(context, "signal"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/restart", async context =>
        {
            await containers.RestartAsync(Id(context), Query.Int(context, "t"), Query.String(context, "signal"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/kill", async context =>
        {
            await containers.KillAsync(Id(context), Query.String(context, "signal"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/wait", context => Wait(context, containers));
        app.MapDelete("/containers/{id}", async context =>
        {
            await containers.RemoveAsync(Id(context), Query.Bool(context, "force"), Query.Bool(context, "v"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/rename", context =>
        {
            containers.Rename(Id(context), Query.String(context, "name") ?? "");
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet("/containers/{id}/export", context => Export(context, services));
        app.MapGet("/containers/{id}/top", async context =>
        {
            var table = await containers.TopAsync(Id(context), Query.String(context, "ps_args"), context.RequestAborted);
            var response = new ContainerTopResponse
            {
                Titles = [.. table.Titles],
                Processes = table.Processes.Select(row => row.ToList()).ToList(),
            };
            await Json.WriteAsync(context, response, ApiJson.Context.ContainerTopResponse);
        });
        StatsEndpoints.Map(app, containers);
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static async Task Create(HttpContext context, DaemonServices services)
    {
        var body = await Json.ReadAsync(context, ApiJson.Context.ContainerCreateRequest)
                   ?? throw BerthException.Invalid("config cannot be empty in order to create a container");
        var hostConfig = body.HostConfig ?? new HostConfig();
        // The platform a client asks for (API 1.41 and later) must be the local image's: the CLI pulls the right one otherwise.
        string? platformText = RequestVersion.AtLeast(context, "1.41") ? Query.String(context, "platform") : null;
        var platform = string.IsNullOrEmpty(platformText) ? null : PlatformSpec.Parse(platformText);
        foreach (var bind in hostConfig.Binds ?? []) BindSpec.Parse(bind);
        var endpoints = services.Networks.PlanEndpoints(hostConfig, body.NetworkingConfig, body.MacAddress);
        var container = await services.Containers.CreateAsync(Query.String(context, "name"), body, hostConfig, context.RequestAborted, endpoints, platform);
        // Once the reply is out, so the early creation does not hold it up.
        context.Response.OnCompleted(() =>
        {
            services.Containers.PrepareStartAhead(container);
            return Task.CompletedTask;
        });
        await Json.WriteAsync(context, new ContainerCreateResponse { Id = container.Id, Warnings = [] }, ApiJson.Context.ContainerCreateResponse, StatusCodes.Status201Created);
    }

    private static Task List(HttpContext context, DaemonServices services)
    {
        var filters = Filters.From(context);
        filters.Validate("id", "name", "label", "exited", "status", "ancestor", "before", "since", "volume", "network", "health", "publish", "expose", "isolation", "is-task");
        foreach (var status in filters.Get("status"))
            if (status is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"))
                throw BerthException.Invalid($"invalid filter 'status={status}'");
        foreach (var health in filters.Get("health"))
            if (!Berth.Engine.Containers.Health.HealthState.IsValidStatus(health))
                throw BerthException.Invalid($"Unrecognised filter value for health: {health}");
        bool all = Query.Bool(context, "all") || filters.Has("status") || filters.Has("exited");
        int limit = Query.Int(context, "limit") ?? -1;
        var list = services.Containers.List(); // newest first
        var before = filters.Get("before").Select(services.Containers.Get).ToList();
        var since = filters.Get("since").Select(services.Containers.Get).ToList();
        var ancestors = filters.Get("ancestor").Select(a => services.Images.TryResolve(a)?.Id ?? a).ToList();
        var now = DateTimeOffset.UtcNow;
        var result = list
            .Where(c => all || limit > 0 || c.State.Running)
            .Where(c => filters.Match("id", id => c.Id.StartsWith(id, StringComparison.Ordinal)))
            .Where(c => filters.Match("name", name => Regex.IsMatch(c.Name.TrimStart('/'), name.TrimStart('/'))))
            .Where(c => filters.MatchLabels("label", c.Config.Labels))
            .Where(c => filters.Match("exited", code => !c.State.Running && c.HasBeenStartedBefore && code == c.State.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Where(c => filters.Match("status", status => status == ContainerMapping.StateName(c)))
            .Where(c => !filters.Has("ancestor") || ancestors.Any(a => a == c.ImageId || a == c.Config.Image))
            .Where(c => before.All(b => c.Created < b.Created))
            .Where(c => since.All(s => c.Created > s.Created))
            .Where(c => filters.Match("network", n => c.Networking.Endpoints.Any(e => e.NetworkName == n || e.NetworkId.StartsWith(n, StringComparison.Ordinal))))
            .Where(c => filters.Match("volume", v => ContainerMapping.Mounts(c).Any(m => m.Destination == v || m.Source == v || m.Name == v)))
            .Where(c => filters.Match("expose", p => c.Config.ExposedPorts?.ContainsKey(p.Contains('/') ? p : p + "/tcp") == true))
            .Where(c => filters.Match("health", h => h == ContainerMapping.HealthStatus(c)))
            .Where(c => filters.Match("is-task", t => t is "false" or "0"))
            .Where(c => filters.Match("publish", p => c.Networking.Ports.Any(kv => kv.Value is { Count: > 0 } && (kv.Key == p || kv.Key == p + "/tcp" || kv.Value.Any(b => b.HostPort == p.Split('/')[0])))))
            .Where(c => filters.Match("isolation", i => i is "default" or ""));
        if (limit > 0) result = result.Take(limit);
        bool size = Query.Bool(context, "size");
        var summaries = result.Select(c =>
        {
            var summary = ContainerMapping.Summary(c, now);
            if (size) ContainerSizes.Fill(summary, c, services);
            return summary;
        }).ToList();
        return Json.WriteAsync(context, summaries, ApiJson.Context.ListContainerSummary);
    }

    private static async Task Prune(HttpContext context, DaemonServices services)
    {
        var filters = Filters.From(context);
        filters.Validate("until", "label", "label!");
        long? until = filters.Get("until").Select(u => EventEndpoints.ParseTime(u, DateTimeOffset.UtcNow)).FirstOrDefault();
        var removed = await services.Containers.PruneAsync(c =>
            filters.MatchLabels("label", c.Config.Labels)
            && filters.MatchNoLabels("label!", c.Config.Labels)
            && (until is null || (c.Created - DateTimeOffset.UnixEpoch).Ticks * 100 < until), context.RequestAborted);
        await Json.WriteAsync(context, new ContainerPruneResponse { ContainersDeleted = removed.Count == 0 ? null : removed, SpaceReclaimed = 0 }, ApiJson.Context.ContainerPruneResponse);
    }

    /// <summary>
    /// POST /containers/{id}/wait: answers the headers at once (the client then starts the container), the status
    /// when the condition is met.
    /// </summary>
    private static async Task Wait(HttpContext context, ContainerService containers)
    {
        var condition = ContainerService.ParseWaitCondition(Query.String(context, "condition"));
        var exit = containers.RegisterWait(Id(context), condition);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        int code = await exit.WaitAsync(context.RequestAborted);
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, new ContainerWaitResponse { StatusCode = code, Error = null }, ApiJson.Context.ContainerWaitResponse, context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    /// <summary>The container's filesystem as a tar: its mounted root while running, else a read-only overlay mounted for the export.</summary>
    private static async Task Export(HttpContext context, DaemonServices services)
    {
        var container = services.Containers.Get(Id(context));
        string root = services.Containers.RootfsOf(container);
        bool temporary = !MountPoints.IsMountPoint(root);
        if (temporary)
        {
            root = services.NewTempDir();
            var lowers = new List<string>();
            if (Directory.Exists(services.Containers.UpperDirOf(container))) lowers.Add(services.Containers.UpperDirOf(container));
            lowers.AddRange(services.Containers.LowerDirsOf(container));
            if (lowers.Count == 1) lowers.Add(services.Layers.EmptyDir);
            OverlayMount.Mount(lowers, "", "", root, readOnly: true);
        }
        try
        {
            context.Response.ContentType = "application/x-tar";
            // Owner names from the container's own /etc files, as dockerd's export (chrooted into the container) writes them.
            OwnerNames names;
            using (var scoped = ScopedRoot.Open(root, $"container {container.Name.TrimStart('/')}")) names = ContainerOwnerNames.Read(scoped);
            await LayerWriter.WriteDirectoryAsync(root, context.Response.Body, names, context.RequestAborted);
        }
        finally
        {
            if (temporary)
            {
                OverlayMount.Unmount(root);
                Directory.Delete(root);
            }
        }
        services.Events.Publish("container", "export", container.Id, new Dictionary<string, string> { ["name"] = container.Name.TrimStart('/'), ["image"] = container.Config.Image });
    }
}
