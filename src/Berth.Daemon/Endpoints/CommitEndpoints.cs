using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Images;

namespace Berth.Daemon.Endpoints;

/// <summary>docker diff and docker commit: a container's changes, and those changes as a new image.</summary>
public static class CommitEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/containers/{id}/changes", context =>
        {
            var changes = services.Containers.Changes((string)context.Request.RouteValues["id"]!);
            // Docker answers null, not [], for a container without changes.
            List<ContainerChange>? items = changes.Count == 0
                ? null
                : changes.Select(c => new ContainerChange { Path = c.Path, Kind = (int)c.Kind }).ToList();
            return Json.WriteAsync(context, items, ApiJson.Context.ListContainerChange);
        });
        app.MapPost("/commit", context => Commit(context, services));
    }

    private static async Task Commit(HttpContext context, DaemonServices services)
    {
        var container = services.Containers.Get(Query.String(context, "container") ?? "");
        ContainerConfig? config = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
            ? await Json.ReadAsync(context, ApiJson.Context.ContainerConfig)
            : null;
        var options = new CommitOptions(
            Repository: Query.String(context, "repo"),
            Tag: Query.String(context, "tag"),
            Author: Query.String(context, "author"),
            Comment: Query.String(context, "comment"),
            Changes: context.Request.Query["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList(),
            Config: config);
        string temp = services.NewTempDir();
        try
        {
            var source = new CommitSource(container.Id, container.ImageId, container.Config, services.Containers.UpperDirOf(container));
            using var timing = services.Containers.Metrics.ContainerActions.Time("commit");
            var image = await services.ImageService.CommitAsync(source, options, temp, context.RequestAborted);
            var attributes = new Dictionary<string, string>
            {
                ["name"] = container.Name.TrimStart('/'),
                ["image"] = container.Config.Image,
                ["comment"] = options.Comment ?? "",
                ["imageID"] = image.Id,
                ["imageRef"] = image.RepoTags.FirstOrDefault() ?? "",
            };
            services.Events.Publish("container", "commit", container.Id, attributes);
            await Json.WriteAsync(context, new IdResponse { Id = image.Id }, ApiJson.Context.IdResponse, StatusCodes.Status201Created);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
