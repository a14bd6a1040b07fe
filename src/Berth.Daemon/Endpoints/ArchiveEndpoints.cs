using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Oci.ContainerFiles;

namespace Berth.Daemon.Endpoints;

/// <summary>/containers/{id}/archive: files in and out of a container (docker cp).</summary>
public static class ArchiveEndpoints
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";

    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var containers = services.Containers;
        app.MapMethods("/containers/{id}/archive", ["HEAD"], async context =>
        {
            var stat = await containers.StatPathAsync(Id(context), Query.String(context, "path") ?? "", context.RequestAborted);
            context.Response.Headers[StatHeader] = ContainerArchive.StatHeader(stat);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapGet("/containers/{id}/archive", async context =>
        {
            await containers.ArchivePathAsync(Id(context), Query.String(context, "path") ?? "", async stat =>
            {
                context.Response.Headers[StatHeader] = ContainerArchive.StatHeader(stat);
                context.Response.ContentType = "application/x-tar";
                await context.Response.StartAsync(context.RequestAborted);
                return context.Response.Body;
            }, context.RequestAborted);
            Publish(services, Id(context), "archive-path");
        });
        app.MapPut("/containers/{id}/archive", async context =>
        {
            await containers.ExtractToPathAsync(Id(context), Query.String(context, "path") ?? "", context.Request.Body,
                Query.Bool(context, "noOverwriteDirNonDir"), Query.Bool(context, "copyUIDGID"), context.RequestAborted);
            Publish(services, Id(context), "extract-to-dir");
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
    }

    private static void Publish(DaemonServices services, string idOrName, string action)
    {
        var container = services.Containers.Get(idOrName);
        services.Events.Publish("container", action, container.Id, new Dictionary<string, string>
        {
            ["name"] = container.Name.TrimStart('/'),
            ["image"] = container.Config.Image,
        });
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}
