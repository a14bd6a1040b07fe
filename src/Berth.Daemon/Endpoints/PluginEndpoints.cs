using System.Globalization;
using Berth.Daemon.Http;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The managed-plugin API. berthd cannot install plugins (pulling, creating and upgrading answer 501), so none is
/// ever installed: the list is empty and every plugin named is Docker's not-found, as on a dockerd without plugins,
/// which is what <c>docker plugin ls</c>, <c>inspect</c>, <c>rm</c> and docker-py's <c>plugins.list()</c> expect.
/// </summary>
public static class PluginEndpoints
{
    private const string Installing = "installing plugins is not implemented in this version of berthd";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/plugins", List);
        app.MapGet("/plugins/{name}/json", context => throw NotFound(context));
        app.MapDelete("/plugins/{name}", context => throw NotFound(context));
        app.MapPost("/plugins/{name}/enable", Enable);
        foreach (var action in new[] { "disable", "set", "upgrade" })
            app.MapPost($"/plugins/{{name}}/{action}", context => throw NotFound(context));
        app.MapPost("/plugins/{name}/push", Push);
        app.MapGet("/plugins/privileges", _ => throw BerthException.NotImplemented(Installing));
        app.MapPost("/plugins/pull", _ => throw BerthException.NotImplemented(Installing));
        app.MapPost("/plugins/create", _ => throw BerthException.NotImplemented(Installing));
    }

    /// <summary>Filters are checked as dockerd checks them, although nothing is there to match them.</summary>
    private static Task List(HttpContext context)
    {
        var filters = Filters.From(context);
        filters.Validate(key => $"Invalid filter '{key}'", "enabled", "capability");
        foreach (string value in filters.Get("enabled"))
            if (value is not ("true" or "false")) throw BerthException.Invalid($"Invalid filter 'enabled=[{value}]'");
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("[]\n", context.RequestAborted);
    }

    /// <summary>dockerd reads the timeout before it looks the plugin up, and lets strconv's error through as a 500.</summary>
    private static Task Enable(HttpContext context)
    {
        string timeout = Query.String(context, "timeout") ?? "";
        if (!int.TryParse(timeout, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw BerthException.Internal($"strconv.Atoi: parsing \"{timeout}\": invalid syntax");
        throw NotFound(context);
    }

    /// <summary>A push names the plugin by its reference, tagged latest when it has no tag (dockerd: "foo:latest").</summary>
    private static Task Push(HttpContext context)
    {
        string name = Name(context);
        string shown = ImageReference.TryParse(name, addLatest: true, out var reference, out _) ? reference.FamiliarString : name;
        throw BerthException.NotFound($"plugin \"{shown}\" not found");
    }

    private static BerthException NotFound(HttpContext context) => BerthException.NotFound($"plugin \"{Name(context)}\" not found");

    private static string Name(HttpContext context) => context.Request.RouteValues["name"] as string ?? "";
}
