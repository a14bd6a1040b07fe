using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Http;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>Creates the project's networks that are missing, and checks the external ones exist.</summary>
internal sealed class NetworkEnsurer(EngineClient client, ComposeProject project, IComposeProgress progress, string composeVersion)
{
    public async Task EnsureAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (project.Networks.TryGetValue(key, out var network))
                await EnsureAsync(key, network, ct);
        }
    }

    /// <summary>The network keys the services use (the default network when a service names none).</summary>
    public static List<string> UsedBy(ComposeProject project, IEnumerable<ServiceConfig> services)
    {
        var keys = new List<string>();
        foreach (var service in services)
        {
            if (service.NetworkMode is not null)
                continue;
            if (service.Networks.Count == 0 && project.Networks.ContainsKey("default"))
                keys.Add("default");
            keys.AddRange(service.Networks.Keys);
        }
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    private async Task EnsureAsync(string key, NetworkConfig network, CancellationToken ct)
    {
        var existing = await FindAsync(network.Name, ct);
        if (network.External)
        {
            if (existing is null)
                throw new ComposeException($"network {network.Name} declared as external, but could not be found");
            return;
        }
        if (existing is not null)
        {
            if (existing.Obj("Labels").Str(ComposeLabels.Project) != project.Name)
                throw new ComposeException($"a network with name {network.Name} exists but was not created for project \"{project.Name}\".\n"
                    + "Set `external: true` to use an existing network");
            return;
        }
        progress.Report("Network", network.Name, "Creating");
        await client.CreateNetworkAsync(CreateBody(project.Name, key, network, composeVersion), ct);
        progress.Report("Network", network.Name, "Created");
    }

    /// <summary>The network named exactly so (the daemon's name filter matches substrings).</summary>
    private async Task<JsonObject?> FindAsync(string name, CancellationToken ct)
    {
        var list = await client.ListNetworksAsync(new Filters().Add("name", name), ct);
        return list.OfType<JsonObject>().FirstOrDefault(n => n.Str("Name") == name);
    }

    public static JsonObject CreateBody(string projectName, string key, NetworkConfig network, string composeVersion)
    {
        var body = new JsonObject
        {
            ["Name"] = network.Name,
            ["CheckDuplicate"] = true,
            ["Labels"] = MountMapping.StringMap(ComposeLabels.ForNetwork(projectName, key, network, composeVersion)),
            ["Internal"] = network.Internal,
            ["Attachable"] = network.Attachable,
            ["EnableIPv6"] = network.EnableIpv6,
        };
        if (network.Driver is { Length: > 0 } driver)
            body["Driver"] = driver;
        if (network.DriverOpts.Count > 0)
            body["Options"] = MountMapping.StringMap(network.DriverOpts);
        if (network.Ipam is { } ipam)
        {
            var pools = new JsonArray();
            foreach (var pool in ipam.Config)
            {
                var entry = new JsonObject();
                if (pool.Subnet is { } subnet) entry["Subnet"] = subnet;
                if (pool.Gateway is { } gateway) entry["Gateway"] = gateway;
                if (pool.IpRange is { } range) entry["IPRange"] = range;
                if (pool.AuxAddresses.Count > 0) entry["AuxiliaryAddresses"] = MountMapping.StringMap(pool.AuxAddresses);
                pools.Add((JsonNode)entry);
            }
            var ipamBody = new JsonObject { ["Driver"] = ipam.Driver ?? "default", ["Config"] = pools };
            if (ipam.Options.Count > 0)
                ipamBody["Options"] = MountMapping.StringMap(ipam.Options);
            body["IPAM"] = ipamBody;
        }
        return body;
    }

    /// <summary>Removes the project's own networks (never external ones, nor a same-named network of someone else).</summary>
    public async Task RemoveAsync(CancellationToken ct)
    {
        foreach (var network in project.Networks.Values.Where(n => !n.External))
        {
            var existing = await FindAsync(network.Name, ct);
            if (existing is null || existing.Obj("Labels").Str(ComposeLabels.Project) != project.Name)
                continue;
            progress.Report("Network", network.Name, "Removing");
            try
            {
                await client.RemoveNetworkAsync(existing.Str("Id"), ct);
                progress.Report("Network", network.Name, "Removed");
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
                progress.Report("Network", network.Name, "Removed");
            }
            catch (EngineApiException e)
            {
                progress.Report("Network", network.Name, "Error");
                progress.Warn($"network {network.Name}: {e.Message}");
            }
        }
    }
}
