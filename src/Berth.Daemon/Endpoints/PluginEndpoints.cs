using System.Globalization;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Plugins.Managed;
using Berth.Oci.Errors;
using Berth.Engine.Distribution.Auth;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The managed-plugin API as dockerd answers it: create from a directory's tar, list, inspect, enable, disable, set and
/// remove; privileges, install (pull), push and upgrade through the daemon's registry client.
/// </summary>
public static class PluginEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var plugins = services.ManagedPlugins;
        app.MapGet("/plugins", context => List(context, plugins));
        app.MapGet("/plugins/privileges", async context =>
        {
            var privileges = await plugins.PrivilegesAsync(services.Registry, Query.String(context, "remote"), Credentials(context), context.RequestAborted);
            await Json.WriteAsync(context, privileges, ApiJson.Context.ListPluginPrivilege);
        });
        app.MapPost("/plugins/pull", context => PullAsync(context, services));
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
            ("push", var name) => PushAsync(context, services, name),
            ("upgrade", var name) => UpgradeAsync(context, services, name),
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

    /// <summary>
    /// POST /plugins/pull?remote=&amp;name=: the body is the privileges the client granted. The plugin's name goes back in
    /// Docker-Plugin-Name (the CLI sets and enables it by that name); a taken name is refused before any fetch.
    /// </summary>
    private static async Task PullAsync(HttpContext context, DaemonServices services)
    {
        var plugins = services.ManagedPlugins;
        var granted = await GrantedAsync(context);
        var remote = ManagedPluginService.ParseRemote(Query.String(context, "remote"));
        string name = ManagedPluginService.InstallName(remote, Query.String(context, "name"));
        context.Response.Headers["Docker-Plugin-Name"] = name;
        plugins.EnsureNameFree(name);
        var credentials = Credentials(context);
        await ProgressStream.RunAsync(context, (progress, cancellationToken) =>
            plugins.InstallAsync(services.Registry, remote, name, granted, credentials, progress, cancellationToken));
    }

    private static async Task UpgradeAsync(HttpContext context, DaemonServices services, string name)
    {
        var plugins = services.ManagedPlugins;
        var granted = await GrantedAsync(context);
        var remote = ManagedPluginService.ParseRemote(Query.String(context, "remote"));
        plugins.UpgradeTarget(name);
        var credentials = Credentials(context);
        await ProgressStream.RunAsync(context, (progress, cancellationToken) =>
            plugins.UpgradeAsync(services.Registry, name, remote, granted, credentials, progress, cancellationToken));
    }

    /// <summary>POST /plugins/{name}/push: a JSON progress stream; an unknown plugin is a 404 before it.</summary>
    private static async Task PushAsync(HttpContext context, DaemonServices services, string name)
    {
        var plugins = services.ManagedPlugins;
        plugins.PushTarget(name);
        var credentials = Credentials(context);
        await ProgressStream.RunAsync(context, (progress, cancellationToken) =>
            plugins.PushAsync(services.Registry, name, credentials, progress, cancellationToken));
    }

    /// <summary>The privileges a pull or upgrade grants, decoded whatever the content type, with dockerd's errors (500).</summary>
    private static async Task<List<PluginPrivilege>> GrantedAsync(HttpContext context)
    {
        try
        {
            return await Json.ReadAsync(context, ApiJson.Context.ListPluginPrivilege, anyContentType: true)
                   ?? throw BerthException.Internal("failed to parse privileges: EOF");
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
        {
            throw BerthException.Internal($"failed to parse privileges: {e.Message}");
        }
    }

    private static RegistryCredentials Credentials(HttpContext context) =>
        RegistryCredentials.FromRegistryAuthHeader(context.Request.Headers["X-Registry-Auth"].FirstOrDefault());

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

    /// <summary>The plugin part of the path, with "%2F" decoded as Go's server decodes it (clients escape the slashes of names).</summary>
    private static string Path(HttpContext context) => Uri.UnescapeDataString(context.Request.RouteValues["path"] as string ?? "");

    /// <summary>"vieux/sshfs/enable" is ("enable", "vieux/sshfs").</summary>
    private static (string Action, string Name) Action(HttpContext context)
    {
        string path = Path(context);
        int slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[(slash + 1)..], path[..slash]);
    }
}
