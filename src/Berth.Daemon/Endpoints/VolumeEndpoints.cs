using System.Globalization;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Volumes;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>/volumes/…: list, create, inspect, remove and prune volumes (local, and volume plugins').</summary>
public static class VolumeEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var volumes = services.Volumes;
        app.MapGet("/volumes", context => List(context, volumes));
        app.MapPost("/volumes/create", async context =>
        {
            var body = await Json.ReadAsync(context, ApiJson.Context.VolumeCreateRequest) ?? new VolumeCreateRequest();
            var (volume, _) = await volumes.CreateAsync(body.Name, body.Driver, body.DriverOpts, body.Labels, context.RequestAborted);
            await Json.WriteAsync(context, Resource(await volumes.DescribeAsync(volume, context.RequestAborted)), ApiJson.Context.Volume, StatusCodes.Status201Created);
        });
        app.MapPost("/volumes/prune", context => Prune(context, volumes));
        app.MapGet("/volumes/{name}", async context =>
            await Json.WriteAsync(context, Resource(await volumes.DescribeAsync(volumes.Get(Name(context)), context.RequestAborted)), ApiJson.Context.Volume));
        app.MapDelete("/volumes/{name}", async context =>
        {
            await volumes.RemoveAsync(Name(context), Query.Bool(context, "force"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPut("/volumes/{name}", context =>
            ErrorMapping.WriteAsync(context, 503, "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."));
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    /// <summary>A volume without asking its plugin (/system/df): a plugin's volume shows no Mountpoint.</summary>
    public static Volume Resource(VolumeRecord volume, VolumeService volumes) =>
        Resource(new VolumeService.VolumeView(volume, volume.IsLocal ? volumes.DataDirOf(volume.Name) : "", null));

    public static Volume Resource(VolumeService.VolumeView view) => new()
    {
        CreatedAt = view.CreatedAt ?? view.Volume.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        Driver = view.Volume.Driver,
        Labels = Sorted(view.Volume.Labels),
        Mountpoint = view.Mountpoint,
        Name = view.Volume.Name,
        Options = Sorted(view.Volume.Options),
        Scope = "local",
        Status = view.Status,
    };

    // Go writes map keys sorted; clients that re-encode (the docker CLI) show them so, and berth passes the daemon's order on.
    private static Dictionary<string, string>? Sorted(Dictionary<string, string>? map) =>
        map?.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static async Task List(HttpContext context, VolumeService volumes)
    {
        var filters = Filters.From(context);
        filters.Validate("dangling", "driver", "label", "name");
        bool? dangling = null;
        foreach (var value in filters.Get("dangling"))
        {
            dangling = value.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw BerthException.Invalid($"Invalid filter 'dangling=[{value}]'"),
            };
        }
        var used = dangling is null ? null : volumes.UsedNames();
        var (all, warnings) = await volumes.ListAllAsync(context.RequestAborted);
        var result = all
            .Where(v => filters.Match("name", n => v.Volume.Name.Contains(n, StringComparison.Ordinal)))
            .Where(v => filters.Match("driver", d => d == v.Volume.Driver))
            .Where(v => filters.MatchLabels("label", v.Volume.Labels))
            .Where(v => dangling is null || dangling == !used!.Contains(v.Volume.Name))
            .Select(Resource)
            .ToList();
        await Json.WriteAsync(context, new VolumeListResponse { Volumes = result, Warnings = warnings.Count > 0 ? warnings : null }, ApiJson.Context.VolumeListResponse);
    }

    private static async Task Prune(HttpContext context, VolumeService volumes)
    {
        var filters = Filters.From(context);
        filters.Validate("label", "label!", "all");
        bool all = false;
        foreach (var value in filters.Get("all"))
        {
            all = value.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw BerthException.Invalid($"invalid filter 'all={value}': invalid value"),
            };
        }
        // Before API 1.42 prune took every unused volume; since, only anonymous ones unless all=true.
        bool anonymousOnly = RequestVersion.AtLeast(context, "1.42") && !all;
        var (deleted, reclaimed) = await volumes.PruneAsync(v =>
            (!anonymousOnly || v.IsAnonymous)
            && filters.MatchLabels("label", v.Labels)
            && filters.MatchNoLabels("label!", v.Labels), context.RequestAborted);
        await Json.WriteAsync(context, new VolumePruneResponse { VolumesDeleted = deleted, SpaceReclaimed = reclaimed }, ApiJson.Context.VolumePruneResponse);
    }
}
