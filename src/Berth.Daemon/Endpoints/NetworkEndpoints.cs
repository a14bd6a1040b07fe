using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Networks;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>/networks/…: list, inspect, create, remove, prune, connect and disconnect.</summary>
public static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var networks = services.Networks;
        app.MapGet("/networks", context => List(context, networks));
        app.MapGet("/networks/{id}", context =>
            Json.WriteAsync(context, NetworkMapping.Resource(InScope(networks.Get(Id(context)), context), networks, RequestVersion.Of(context)), ApiJson.Context.NetworkResource));
        app.MapPost("/networks/create", context => Create(context, networks));
        app.MapDelete("/networks/{id}", context =>
        {
            networks.Remove(Id(context));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapPost("/networks/prune", context => Prune(context, networks));
        app.MapPost("/networks/{id}/connect", async context =>
        {
            var body = await Json.ReadAsync(context, ApiJson.Context.NetworkConnectRequest)
                       ?? throw BerthException.Invalid("connect request body cannot be empty");
            networks.Connect(Id(context), body.Container, body.EndpointConfig);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/networks/{id}/disconnect", async context =>
        {
            var body = await Json.ReadAsync(context, ApiJson.Context.NetworkDisconnectRequest)
                       ?? throw BerthException.Invalid("disconnect request body cannot be empty");
            networks.Disconnect(Id(context), body.Container, body.Force);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>?scope= narrows inspect to one scope (the docker CLI resolves a service's networks with scope=swarm).</summary>
    private static NetworkRecord InScope(NetworkRecord network, HttpContext context) =>
        context.Request.Query["scope"].ToString() is { Length: > 0 } scope && scope != network.Scope
            ? throw BerthException.NotFound($"network {Id(context)} not found")
            : network;

    private static Task List(HttpContext context, NetworkService networks)
    {
        var filters = Filters.From(context);
        filters.Validate("dangling", "driver", "id", "label", "name", "scope", "type");
        foreach (var type in filters.Get("type"))
            if (type is not ("custom" or "builtin")) throw BerthException.Invalid($"invalid filter: 'type'='{type}'");
        foreach (var dangling in filters.Get("dangling"))
            if (dangling is not ("true" or "false" or "1" or "0")) throw BerthException.Invalid($"invalid filter 'dangling={dangling}'");
        var result = networks.List()
            .Where(n => filters.Match("name", name => n.Name.Contains(name, StringComparison.Ordinal) || SafeRegex(n.Name, name)))
            .Where(n => filters.Match("id", id => n.Id.Contains(id, StringComparison.Ordinal)))
            .Where(n => filters.MatchLabels("label", n.Labels))
            .Where(n => filters.Match("driver", d => d == n.Driver))
            .Where(n => filters.Match("scope", s => s == n.Scope))
            .Where(n => filters.Match("type", t => t == (n.IsPredefined ? "builtin" : "custom")))
            .Where(n => filters.Match("dangling", d => (d is "true" or "1") == (!n.IsPredefined && networks.EndpointsOf(n).Count == 0)))
            .Select(n => NetworkMapping.Resource(n, networks, RequestVersion.Of(context), withContainers: false))
            .ToList();
        return Json.WriteAsync(context, result, ApiJson.Context.ListNetworkResource);
    }

    private static bool SafeRegex(string input, string pattern)
    {
        try
        {
            return Regex.IsMatch(input, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task Create(HttpContext context, NetworkService networks)
    {
        var body = await Json.ReadAsync(context, ApiJson.Context.NetworkCreateRequest)
                   ?? throw BerthException.Invalid("network create request body cannot be empty");
        var ipam = (body.IPAM?.Config ?? [])
            .Select(c => new IpamRequest(c.Subnet, c.Gateway, c.IPRange) { AuxiliaryAddresses = c.AuxiliaryAddresses })
            .ToList();
        var network = networks.Create(new NetworkCreateSpec(body.Name, body.Driver)
        {
            Internal = body.Internal,
            Attachable = body.Attachable,
            Ingress = body.Ingress,
            EnableIPv6 = body.EnableIPv6 == true,
            Ipam = ipam,
            IpamOptions = body.IPAM?.Options,
            Options = body.Options ?? new Dictionary<string, string>(),
            Labels = body.Labels ?? new Dictionary<string, string>(),
        });
        await Json.WriteAsync(context, new NetworkCreateResponse { Id = network.Id, Warning = "" }, ApiJson.Context.NetworkCreateResponse, StatusCodes.Status201Created);
    }

    private static async Task Prune(HttpContext context, NetworkService networks)
    {
        var filters = Filters.From(context);
        filters.Validate("until", "label", "label!");
        long? until = filters.Get("until").Select(u => EventEndpoints.ParseTime(u, DateTimeOffset.UtcNow)).FirstOrDefault();
        var removed = networks.Prune(n =>
            filters.MatchLabels("label", n.Labels)
            && filters.MatchNoLabels("label!", n.Labels)
            && (until is null || (n.Created - DateTimeOffset.UnixEpoch).Ticks * 100 < until));
        await Json.WriteAsync(context, new NetworkPruneResponse { NetworksDeleted = removed.Count == 0 ? null : removed }, ApiJson.Context.NetworkPruneResponse);
    }
}
