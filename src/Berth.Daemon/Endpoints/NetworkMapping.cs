using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Networks;

namespace Berth.Daemon.Endpoints;

/// <summary>Engine network records and container endpoints to the Engine API's shapes, as dockerd 20.10 shows them.</summary>
public static class NetworkMapping
{
    public static NetworkResource Resource(NetworkRecord network, NetworkService service, string apiVersion, bool withContainers = true)
    {
        var resource = Local(network, service, withContainers);
        // Every berthd network carries IPv4; API 1.47 added the field that says so.
        if (ApiVersions.GreaterThanOrEqual(apiVersion, ApiVersions.EnableIPv4Added)) resource.EnableIPv4 = true;
        // A swarm network comes back from swarm's store, where an empty map is null.
        if (network.IsOverlay && resource.Containers is { Count: 0 }) resource.Containers = null;
        if (network.IsOverlay && network.Labels.Count == 0) resource.Labels = null;
        return resource;
    }

    private static NetworkResource Local(NetworkRecord network, NetworkService service, bool withContainers) => new()
    {
        Name = network.Name,
        Id = network.Id,
        Created = ApiTime.Format(network.Created),
        Scope = network.Scope,
        Driver = network.Driver,
        EnableIPv6 = network.EnableIPv6,
        IPAM = new Ipam
        {
            Driver = "default",
            Options = network.IpamOptions,
            Config = IpamConfigs(network),
        },
        Internal = network.Internal,
        Attachable = network.Attachable,
        Containers = withContainers
            ? service.EndpointsOf(network).ToDictionary(p => p.Container.Id, p => new NetworkContainer
            {
                Name = p.Container.Name.TrimStart('/'),
                EndpointID = p.Endpoint.EndpointId,
                MacAddress = p.Endpoint.MacAddress,
                IPv4Address = $"{p.Endpoint.IPAddress}/{p.Endpoint.IPPrefixLen}",
                IPv6Address = p.Endpoint.GlobalIPv6Address.Length > 0 ? $"{p.Endpoint.GlobalIPv6Address}/{p.Endpoint.GlobalIPv6PrefixLen}" : "",
            })
            : [],
        Options = network.Options,
        Labels = network.Labels,
    };

    /// <summary>IPAM.Config: the IPv4 entry, then the IPv6 one of a dual-stack network (dockerd's order, whatever the request's).</summary>
    private static List<IpamConfig> IpamConfigs(NetworkRecord network)
    {
        var configs = new List<IpamConfig>();
        if (network.Subnet is not null)
            configs.Add(new IpamConfig
            {
                Subnet = network.Subnet, IPRange = network.IpRange, Gateway = network.GatewayChosen ? null : network.Gateway, AuxiliaryAddresses = network.AuxiliaryAddresses,
            });
        if (network.Ipv6 is { } v6)
            configs.Add(new IpamConfig
            {
                Subnet = v6.Subnet, IPRange = v6.IpRange, Gateway = v6.GatewayChosen ? null : v6.Gateway, AuxiliaryAddresses = v6.AuxiliaryAddresses,
            });
        return configs;
    }

    /// <summary>NetworkSettings.Networks of inspect and ps: every endpoint, live fields empty while stopped.</summary>
    public static Dictionary<string, EndpointSettings> Endpoints(ContainerRecord c)
    {
        var result = new Dictionary<string, EndpointSettings>();
        foreach (var endpoint in c.Networking.Endpoints)
        {
            bool userDefined = endpoint.NetworkName is not ("bridge" or "host" or "none");
            List<string>? aliases = null;
            if (userDefined)
            {
                aliases = [.. endpoint.Aliases ?? []];
                if (!aliases.Contains(c.ShortId)) aliases.Add(c.ShortId);
            }
            result[endpoint.NetworkName] = new EndpointSettings
            {
                IPAMConfig = endpoint.IpamConfig ?? (endpoint.RequestedIp is null ? null : new EndpointIpamConfig { IPv4Address = endpoint.RequestedIp }),
                DriverOpts = endpoint.DriverOpts,
                Links = endpoint.Links,
                Aliases = aliases,
                MacAddress = endpoint.MacAddress,
                NetworkID = endpoint.NetworkId,
                EndpointID = endpoint.EndpointId,
                Gateway = endpoint.Gateway,
                IPAddress = endpoint.IPAddress,
                IPPrefixLen = endpoint.IPPrefixLen,
                IPv6Gateway = endpoint.IPv6Gateway,
                GlobalIPv6Address = endpoint.GlobalIPv6Address,
                GlobalIPv6PrefixLen = endpoint.GlobalIPv6PrefixLen,
                DNSNames = userDefined && endpoint.EndpointId.Length > 0 ? NetworkService.DnsNamesOf(c, endpoint) : null,
            };
        }
        return result;
    }

    /// <summary>Inspect's NetworkSettings: the legacy top-level fields mirror the default bridge endpoint.</summary>
    public static NetworkSettings Settings(ContainerRecord c)
    {
        var bridge = c.Networking.Endpoints.FirstOrDefault(e => e.NetworkName == "bridge");
        bool running = c.State.Running;
        return new NetworkSettings
        {
            Bridge = "",
            SandboxID = running ? c.Networking.SandboxId : "",
            SandboxKey = running ? c.Networking.SandboxKey : "",
            Ports = running ? c.Networking.Ports : [],
            EndpointID = bridge?.EndpointId ?? "",
            Gateway = bridge?.Gateway ?? "",
            IPAddress = bridge?.IPAddress ?? "",
            IPPrefixLen = bridge?.IPPrefixLen ?? 0,
            MacAddress = bridge?.MacAddress ?? "",
            GlobalIPv6Address = bridge?.GlobalIPv6Address ?? "",
            GlobalIPv6PrefixLen = bridge?.GlobalIPv6PrefixLen ?? 0,
            IPv6Gateway = bridge?.IPv6Gateway ?? "",
            Networks = Endpoints(c),
        };
    }

    /// <summary>The Ports column of /containers/json: published ports with their host side, exposed ones without.</summary>
    public static List<Port> SummaryPorts(ContainerRecord c)
    {
        var ports = new List<Port>();
        if (!c.State.Running) return ports;
        foreach (var (key, bindings) in c.Networking.Ports)
        {
            var parts = key.Split('/');
            int privatePort = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            string type = parts.Length > 1 ? parts[1] : "tcp";
            if (bindings is null || bindings.Count == 0)
            {
                ports.Add(new Port { PrivatePort = privatePort, Type = type });
                continue;
            }
            foreach (var binding in bindings)
                ports.Add(new Port { IP = binding.HostIp, PrivatePort = privatePort, PublicPort = int.Parse(binding.HostPort, System.Globalization.CultureInfo.InvariantCulture), Type = type });
        }
        return ports;
    }
}
