using System.Text.Json;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Images;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Daemon.Endpoints;

/// <summary>/images/…: list, inspect, history, tag, remove, prune, import, save and load.</summary>
public static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/images/json", context => List(context, services));
        app.MapPost("/images/prune", context => Prune(context, services));
        app.MapPost("/images/create", context => Create(context, services));
        app.MapPost("/images/load", context => Load(context, services));
        app.MapGet("/images/get", context => Save(context, services, context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList()));
        // Image names contain slashes (localhost:5000/ns/app), so the name is everything up to the last segment.
        app.MapGet("/images/{**path}", context => Dispatch(context, services, "GET"));
        app.MapPost("/images/{**path}", context => Dispatch(context, services, "POST"));
        app.MapDelete("/images/{**path}", context => Remove(context, services, (string)context.Request.RouteValues["path"]!));
    }

    private static Task Dispatch(HttpContext context, DaemonServices services, string method)
    {
        string path = (string)context.Request.RouteValues["path"]!;
        int slash = path.LastIndexOf('/');
        if (slash <= 0) return ErrorMapping.WriteAsync(context, 404, "page not found");
        string name = path[..slash], action = path[(slash + 1)..];
        return (method, action) switch
        {
            ("GET", "json") => Json.WriteAsync(context, ImageMapping.Inspect(services.Images.Resolve(name), !RequestVersion.AtLeast(context, ApiVersions.VirtualSizeRemoved)), ApiJson.Context.ImageInspect),
            ("GET", "history") => History(context, services, name),
            ("GET", "get") => Save(context, services, [name]),
            ("POST", "tag") => Tag(context, services, name),
            ("POST", "push") => DistributionEndpoints.Push(context, services, name),
            _ => ErrorMapping.WriteAsync(context, 404, "page not found"),
        };
    }

    private static Task List(HttpContext context, DaemonServices services)
    {
        var filters = Filters.From(context);
        filters.Validate("dangling", "label", "before", "since", "reference", "until");
        bool all = Query.Bool(context, "all");
        var images = services.Images.List();
        var before = filters.Get("before").Select(services.Images.Resolve).ToList();
        var since = filters.Get("since").Select(services.Images.Resolve).ToList();
        var containers = services.Containers.List();
        bool MatchesReferenceFilter(string name) => filters.Match("reference", pattern => ReferenceMatches(pattern, name));
        var result = images
            .Where(image => all || image.RepoTags.Count > 0 || services.Images.ChildrenOf(image.Id).Count == 0)
            .Where(image => filters.Match("dangling", d => (d is "true" or "1") == (image.RepoTags.Count == 0)))
            .Where(image => filters.MatchLabels("label", image.Config.Config?.Labels))
            .Where(image => before.All(b => image.Config.Created < b.Config.Created))
            .Where(image => since.All(s => image.Config.Created > s.Config.Created))
            .Where(image => !filters.Has("reference") || image.RepoTags.Concat(image.RepoDigests).Any(MatchesReferenceFilter))
            .OrderByDescending(image => image.Config.Created)
            .Select(image => ImageMapping.Summary(image, containers.Count(c => c.ImageId == image.Id), !RequestVersion.AtLeast(context, ApiVersions.VirtualSizeRemoved)))
            .ToList();
        // dockerd lists only the names the reference filter matched (`docker images bb` shows bb's tags, not busybox's).
        if (filters.Has("reference"))
            foreach (var summary in result)
            {
                summary.RepoTags = [.. (summary.RepoTags ?? []).Where(MatchesReferenceFilter)];
                summary.RepoDigests = [.. (summary.RepoDigests ?? []).Where(MatchesReferenceFilter)];
            }
        if (!Query.Bool(context, "shared-size"))
            foreach (var summary in result) summary.SharedSize = -1;
        foreach (var summary in result) summary.Containers = -1;
        return Json.WriteAsync(context, result, ApiJson.Context.ListImageSummary);
    }

    /// <summary>Docker's reference filter: a glob over the familiar name, with or without the tag.</summary>
    private static bool ReferenceMatches(string pattern, string name)
    {
        string repository = name;
        int at = name.IndexOf('@');
        if (at >= 0) repository = name[..at];
        else if (name.LastIndexOf(':') is var colon and > 0 && name.IndexOf('/', colon) < 0) repository = name[..colon];
        return Glob.Matches(pattern, name) || Glob.Matches(pattern, repository);
    }

    private static Task History(HttpContext context, DaemonServices services, string name)
    {
        var image = services.Images.Resolve(name);
        var history = ImageMapping.History(image, chainId => services.Layers.Get(chainId).Size, services.Images.TryGet);
        return Json.WriteAsync(context, history, ApiJson.Context.ListImageHistoryItem);
    }

    private static Task Tag(HttpContext context, DaemonServices services, string name)
    {
        services.ImageService.Tag(name, Query.String(context, "repo") ?? "", Query.String(context, "tag"));
        context.Response.StatusCode = StatusCodes.Status201Created;
        return Task.CompletedTask;
    }

    private static Task Remove(HttpContext context, DaemonServices services, string name)
    {
        var deletions = services.ImageService.Delete(name, Query.Bool(context, "force"), !Query.Bool(context, "noprune"));
        var items = deletions.Select(d => new ImageDeleteResponseItem { Untagged = d.Untagged, Deleted = d.Deleted }).ToList();
        return Json.WriteAsync(context, items, ApiJson.Context.ListImageDeleteResponseItem);
    }

    private static Task Prune(HttpContext context, DaemonServices services)
    {
        var filters = Filters.From(context);
        filters.Validate("dangling", "label", "label!", "until");
        bool danglingOnly = !filters.Has("dangling") || filters.Get("dangling").Any(d => d is "true" or "1");
        var until = filters.Get("until").Select(u => EventEndpoints.ParseTime(u, DateTimeOffset.UtcNow)).FirstOrDefault();
        var (deleted, reclaimed) = services.ImageService.Prune(danglingOnly, image =>
            filters.MatchLabels("label", image.Config.Config?.Labels)
            && filters.MatchNoLabels("label!", image.Config.Config?.Labels)
            && (until is null || (image.Config.Created is { } c && (c - DateTimeOffset.UnixEpoch).Ticks * 100 < until)));
        var response = new ImagePruneResponse
        {
            ImagesDeleted = deleted.Count == 0 ? null : deleted.Select(d => new ImageDeleteResponseItem { Untagged = d.Untagged, Deleted = d.Deleted }).ToList(),
            SpaceReclaimed = reclaimed,
        };
        return Json.WriteAsync(context, response, ApiJson.Context.ImagePruneResponse);
    }

    /// <summary>POST /images/create: pull from a registry (fromImage), or import from the body (fromSrc=-) or a URL (fromSrc=URL).</summary>
    private static async Task Create(HttpContext context, DaemonServices services)
    {
        string? fromSrc = Query.String(context, "fromSrc");
        if (string.IsNullOrEmpty(fromSrc))
        {
            await DistributionEndpoints.Pull(context, services, Query.String(context, "fromImage") ?? "");
            return;
        }
        var changes = context.Request.Query["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        string? repo = Query.String(context, "repo");
        string? tag = Query.String(context, "tag");
        if (!string.IsNullOrEmpty(repo)) ImageService.ParseTagTarget(repo, tag);
        var request = new ImportRequest(repo, tag, Query.String(context, "message"), changes);
        if (fromSrc != "-")
        {
            await ImportFromUrl.RunAsync(context, services, fromSrc, request);
            return;
        }
        var image = await services.ImageService.ImportAsync(context.Request.Body, request.Repository, request.Tag, request.Message,
            request.Changes, fromSrc, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await WriteMessageAsync(context, new JsonMessage { Status = image.Id });
    }

    private static async Task Load(HttpContext context, DaemonServices services)
    {
        string scratch = services.NewTempDir();
        try
        {
            var messages = await services.ImageService.LoadAsync(context.Request.Body, scratch, context.RequestAborted);
            context.Response.ContentType = "application/json";
            foreach (var message in messages)
                await WriteMessageAsync(context, new JsonMessage { Stream = message + "\n" });
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task Save(HttpContext context, DaemonServices services, List<string> names)
    {
        if (names.Count == 0) throw BerthException.Invalid("no images specified");
        foreach (var name in names) services.Images.Resolve(name); // 404 before any byte is sent
        context.Response.ContentType = "application/x-tar";
        await services.ImageService.SaveAsync(names, context.Response.Body, context.RequestAborted);
    }

    private static async Task WriteMessageAsync(HttpContext context, JsonMessage message)
    {
        await Json.WriteLineAsync(context.Response.Body, message, ApiJson.Context.JsonMessage, Json.Lf, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
