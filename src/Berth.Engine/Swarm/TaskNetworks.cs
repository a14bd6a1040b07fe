using System.Globalization;
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
    public static List<ContainerEndpoint> PlanEndpoints(NetworkService networks, JsonObject serviceSpec, JsonObject taskSpec, string serviceName, HostConfig host)
    {
        var attachments = Of(serviceSpec, taskSpec);
        if (attachments.Count == 0) return networks.PlanEndpoints(host, null, null);
        var config = new NetworkingConfig { EndpointsConfig = [] };
        foreach (var (target, aliases) in attachments)
        {
            var network = networks.Get(target);
            List<string> names = [serviceName, .. aliases.Where(a => a.Length > 0 && a != serviceName)];
            config.EndpointsConfig.TryAdd(network.Name, new EndpointSettings { Aliases = names });
        }
        host.NetworkMode = config.EndpointsConfig.Keys.First();
        return networks.PlanEndpoints(host, config, null);
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
