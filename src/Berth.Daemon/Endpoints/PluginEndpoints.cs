using System.Globalization;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Plugins.Managed;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The managed-plugin API: create from a directory's tar, list, inspect, enable, disable, set and remove, as dockerd
/// answers them. Installing from a registry, pushing and upgrading are not built (501).
/// </summary>
public static class PluginEndpoints
{
    private const string Installing = "installing plugins is not implemented in this version of berthd";

    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var plugins = services.ManagedPlugins;
        app.MapGet("/plugins", context => List(context, plugins));
        app.MapGet("/plugins/privileges", _ => throw BerthException.NotImplemented(Installing));
        app.MapPost("/plugins/pull", _ => throw BerthException.NotImplemented(Installing));
        app.MapPost("/plugins/create", async context =>
        {
            await plugins.CreateAsync(Query.String(context, "name") ?? "", context.Request.Body, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        // Plugin names have slashes ("vieux/sshfs:latest"): the action is the last segment.
        app.MapGet("/plugins/{**path}", context => Action(context) switch
        {
            ("json", var name) => Json.WriteAsync(context, plugins.Get(name), ApiJson.Context.Plugin),
            _ => throw BerthException.NotFound("page not found"),
        });
        app.MapDelete("/plugins/{**path}", async context =>
        {
            await plugins.RemoveAsync(Path(context), Query.Bool(context, "force"), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/plugins/{**path}", context => Action(context) switch
        {
            ("enable", var name) => EnableAsync(context, plugins, name),
            ("disable", var name) => plugins.DisableAsync(name, Query.Bool(context, "force"), context.RequestAborted),
            ("set", var name) => SetAsync(context, plugins, name),
            ("push", var name) => Push(plugins, name),
            ("upgrade", var name) => Upgrade(plugins, name),
            _ => throw BerthException.NotFound("page not found"),
        });
    }

    private static async Task EnableAsync(HttpContext context, ManagedPluginService plugins, string name)
    {
        ParseTimeout(context);
        await plugins.EnableAsync(name, context.RequestAborted);
    }

    private static async Task SetAsync(HttpContext context, ManagedPluginService plugins, string name)
    {
        // dockerd decodes the body whatever its content type.
        var settings = await Json.ReadAsync(context, ApiJson.Context.ListString, anyContentType: true) ?? [];
        await plugins.SetAsync(name, settings, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Task Upgrade(ManagedPluginService plugins, string name)
    {
        plugins.Get(name);
        throw BerthException.NotImplemented(Installing);
    }

    private static Task List(HttpContext context, ManagedPluginService plugins)
    {
        var filters = Filters.From(context);
        filters.Validate(key => $"Invalid filter '{key}'", "enabled", "capability");
        var enabled = new List<bool>();
        foreach (string value in filters.Get("enabled"))
        {
            if (value is not ("true" or "false")) throw BerthException.Invalid($"Invalid filter 'enabled=[{value}]'");
            enabled.Add(value == "true");
        }
        var capabilities = filters.Get("capability").ToList();
        var list = plugins.List()
            .Where(p => enabled.Count == 0 || enabled.Contains(p.Enabled))
            .Where(p => capabilities.Count == 0 || (p.Config.Interface.Types ?? []).Any(type => capabilities.Contains(CapabilityOf(type))))
            .ToList();
        return Json.WriteAsync(context, list, ApiJson.Context.ListPlugin);
    }

    /// <summary>"docker.volumedriver/1.0" has the capability "volumedriver", as the filter names it.</summary>
    private static string CapabilityOf(string type)
    {
        int dot = type.IndexOf('.'), slash = type.IndexOf('/');
        int start = dot >= 0 ? dot + 1 : 0, end = slash > start ? slash : type.Length;
        return type[start..end];
    }

    /// <summary>dockerd reads the timeout before it looks the plugin up, and lets strconv's error through as a 500.</summary>
    private static void ParseTimeout(HttpContext context)
    {
        string timeout = Query.String(context, "timeout") ?? "";
        if (!int.TryParse(timeout, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw BerthException.Internal($"strconv.Atoi: parsing \"{timeout}\": invalid syntax");
    }

    /// <summary>A push names the plugin by its reference, tagged latest when it has no tag (dockerd: "foo:latest").</summary>
    private static Task Push(ManagedPluginService plugins, string name)
    {
        string shown = ImageReference.TryParse(name, addLatest: true, out var reference, out _) ? reference.FamiliarString : name;
        if (plugins.Store.TryGet(name) is null) throw BerthException.NotFound($"plugin \"{shown}\" not found");
        throw BerthException.NotImplemented("pushing plugins is not implemented in this version of berthd");
    }

    private static string Path(HttpContext context) => context.Request.RouteValues["path"] as string ?? "";

    /// <summary>"vieux/sshfs/enable" is ("enable", "vieux/sshfs").</summary>
    private static (string Action, string Name) Action(HttpContext context)
    {
        string path = Path(context);
        int slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[(slash + 1)..], path[..slash]);
    }
}
