using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Networks;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// A service's networks: checked and resolved to IDs when the service is created or updated (as dockerd does before
/// handing the spec to swarm), turned into the endpoints of each task's container (the service's name and the
/// network's aliases as DNS aliases, so tasks find each other by service name through the embedded DNS), and read
/// back into the task's NetworksAttachments.
/// </summary>
/// <remarks>
/// Docker gives a service in VIP mode one virtual address per network, balanced by IPVS, which these machines lack.
/// No virtual address is made here: the service's name answers every running task's address in both endpoint modes
/// (what DNSRR mode does in Docker), and Endpoint.VirtualIPs stays empty rather than show an address nothing answers.
/// </remarks>
public static class TaskNetworks
{
    /// <summary>
    /// TaskTemplate.Networks (and the deprecated top-level Networks) with each Target resolved to its network's ID;
    /// an unknown network and a network that is not swarm-scoped are refused with dockerd's words.
    /// </summary>
    public static void Resolve(JsonObject spec, NetworkService? networks)
    {
        foreach (var list in new[] { spec["TaskTemplate"]?["Networks"], spec["Networks"] })
        {
            if (list is not JsonArray entries) continue;
            foreach (var entry in entries.OfType<JsonObject>())
            {
                string target = entry["Target"]?.GetValue<string>() ?? "";
                var network = networks?.TryGet(target)
                    ?? throw BerthException.Internal($"network {target} not found");
                if (network.Scope != "swarm")
                    throw BerthException.Forbidden($"The network {target} cannot be used with services. Only networks scoped to the swarm can be used, such as those created with the overlay driver.");
                entry["Target"] = network.Id;
            }
        }
    }

    /// <summary>The networks a task joins: its template's, else the service's deprecated top-level list.</summary>
    public static IReadOnlyList<(string Target, IReadOnlyList<string> Aliases)> Of(JsonObject serviceSpec, JsonObject taskSpec)
    {
        var list = taskSpec["Networks"] is JsonArray { Count: > 0 } own ? own : serviceSpec["Networks"] as JsonArray;
        return list is null
            ? []
            : [.. list.OfType<JsonObject>().Select(n => (
                n["Target"]?.GetValue<string>() ?? "",
                (IReadOnlyList<string>)[.. (n["Aliases"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "")]))];
    }

    /// <summary>
    /// The endpoints of a task's container: the service's networks in order, the first one as its network mode (so
    /// the default bridge is left out, as in Docker), or the default bridge when the service names none.
    /// </summary>
    /// <remarks>A task the manager gave addresses (one bound for a worker) takes them; the manager's own tasks take any free one.</remarks>
    public static List<ContainerEndpoint> PlanEndpoints(NetworkService networks, JsonObject serviceSpec, SwarmTask task, string serviceName, HostConfig host)
    {
        var attachments = Of(serviceSpec, task.Spec);
        if (attachments.Count == 0) return networks.PlanEndpoints(host, null, null);
        var config = new NetworkingConfig { EndpointsConfig = [] };
        foreach (var (target, aliases) in attachments)
        {
            var network = networks.Get(target);
            List<string> names = [serviceName, .. aliases.Where(a => a.Length > 0 && a != serviceName)];
            string? given = (task.NetworksAttachments ?? []).Where(a => a.Network["ID"]?.GetValue<string>() == network.Id)
                .SelectMany(a => a.Addresses).Select(a => a.Split('/')[0]).FirstOrDefault();
            config.EndpointsConfig.TryAdd(network.Name, new EndpointSettings
            {
                Aliases = names,
                IPAMConfig = given is null ? null : new EndpointIpamConfig { IPv4Address = given },
            });
        }
        host.NetworkMode = config.EndpointsConfig.Keys.First();
        return networks.PlanEndpoints(host, config, null);
    }

    /// <summary>
    /// A worker, on each assignment: the overlays its tasks join made here as the manager defined them, each one's VXLAN
    /// pointed at the other nodes on it, and those nodes' task endpoints given to the embedded DNS.
    /// </summary>
    public static void ApplyOverlays(NetworkService networks, IReadOnlyList<SwarmOverlayAssignment> overlays)
    {
        networks.SyncSwarmNetworks([.. overlays.Select(o => new NetworkRecord
        {
            Id = o.ID, Name = o.Name, Driver = NetworkService.OverlayDriver, Scope = "swarm",
            Created = DateTimeOffset.TryParse(o.Created, CultureInfo.InvariantCulture, out var created) ? created : DateTimeOffset.UtcNow,
            Internal = o.Internal, Attachable = o.Attachable, Options = o.Options, Labels = o.Labels,
            Subnet = o.Subnet, Gateway = o.Gateway, IpRange = o.IPRange,
        })]);
        foreach (var overlay in overlays)
            networks.SetOverlayPeers(overlay.ID, [.. overlay.Peers.Select(p => IPAddress.TryParse(p, out var a) ? a : null).OfType<IPAddress>()],
                overlay.DataPathPort);
        networks.SetRemoteEndpoints(overlays.ToDictionary(o => o.ID, o => (IReadOnlyList<RemoteEndpoint>)[.. o.Endpoints
            .Where(e => IPAddress.TryParse(e.Address, out _)).Select(e => new RemoteEndpoint(e.Names, IPAddress.Parse(e.Address)))]));
    }

    /// <summary>Task.NetworksAttachments: each swarm network of the running container, with its address, in swarm's Network shape.</summary>
    public static List<TaskNetworkAttachment>? AttachmentsOf(NetworkService networks, ContainerRecord container)
    {
        var result = new List<TaskNetworkAttachment>();
        foreach (var endpoint in container.Networking.Endpoints)
        {
            if (endpoint.IPAddress.Length == 0 || networks.TryGet(endpoint.NetworkId) is not { IsOverlay: true } network) continue;
            result.Add(new TaskNetworkAttachment
            {
                Network = SwarmNetwork(network),
                Addresses = [$"{endpoint.IPAddress}/{endpoint.IPPrefixLen.ToString(CultureInfo.InvariantCulture)}"],
            });
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>A network as swarm's API shows it (ID, Spec with driver and IPAM, DriverState).</summary>
    public static JsonObject SwarmNetwork(NetworkRecord network)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in network.Labels) labels[key] = value;
        var options = new JsonObject();
        foreach (var (key, value) in network.Options) options[key] = value;
        string created = ApiTime.Format(network.Created);
        var spec = new JsonObject
        {
            ["Name"] = network.Name,
            ["Labels"] = labels,
            ["DriverConfiguration"] = new JsonObject { ["Name"] = network.Driver },
        };
        if (network.Internal) spec["Internal"] = true;
        if (network.Attachable) spec["Attachable"] = true;
        spec["IPAMOptions"] = Ipam(network);
        spec["Scope"] = network.Scope;
        return new JsonObject
        {
            ["ID"] = network.Id,
            ["Version"] = new JsonObject { ["Index"] = 1 },
            ["CreatedAt"] = created,
            ["UpdatedAt"] = created,
            ["Spec"] = spec,
            ["DriverState"] = new JsonObject { ["Name"] = network.Driver, ["Options"] = options },
            ["IPAMOptions"] = Ipam(network),
        };
    }

    private static JsonObject Ipam(NetworkRecord network) => new()
    {
        ["Driver"] = new JsonObject { ["Name"] = "default" },
        ["Configs"] = new JsonArray(new JsonObject { ["Subnet"] = network.Subnet, ["Gateway"] = network.Gateway }),
    };
}
