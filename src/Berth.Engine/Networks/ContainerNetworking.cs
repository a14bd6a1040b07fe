using Berth.Api;

namespace Berth.Engine.Networks;

/// <summary>
/// A container's network state, kept in its record: the endpoints it asked for (create, connect) and, while it runs,
/// what they got (addresses, MACs, the namespace, the published ports). The daemon rebuilds its allocators and proxies
/// from it after a restart.
/// </summary>
public sealed class ContainerNetworking
{
    /// <summary>Network name → endpoint, in the order the container joined them (eth0, eth1, ...).</summary>
    public List<ContainerEndpoint> Endpoints { get; set; } = [];

    /// <summary>The pinned network namespace while the container runs (bridge and none modes).</summary>
    public string SandboxKey { get; set; } = "";
    public string SandboxId { get; set; } = "";

    /// <summary>NetworkSettings.Ports as dockerd shows it; empty while stopped.</summary>
    public Dictionary<string, List<PortBinding>?> Ports { get; set; } = [];

    public ContainerEndpoint? Find(string networkId) => Endpoints.FirstOrDefault(e => e.NetworkId == networkId);
}

/// <summary>One container's endpoint on one network.</summary>
public sealed class ContainerEndpoint
{
    public required string NetworkId { get; set; }
    public required string NetworkName { get; set; }

    /// <summary>--ip (IPAMConfig.IPv4Address) and --mac-address as requested.</summary>
    public string? RequestedIp { get; set; }
    public string? RequestedMac { get; set; }

    /// <summary>--ip6 (IPAMConfig.IPv6Address): taken on networks with IPv6 enabled, ignored elsewhere as dockerd does.</summary>
    public string? RequestedIp6 { get; set; }

    /// <summary>IPAMConfig and DriverOpts as the request sent them (inspect shows them back as dockerd does: null when absent, {} when empty).</summary>
    public Berth.Api.EndpointIpamConfig? IpamConfig { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    public List<string>? Aliases { get; set; }
    public List<string>? Links { get; set; }

    /// <summary>Set while connected (running container); empty otherwise.</summary>
    public string EndpointId { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public int IPPrefixLen { get; set; }
    public string Gateway { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string InterfaceName { get; set; } = "";

    /// <summary>The endpoint's IPv6 side on a network with IPv6 enabled; empty otherwise.</summary>
    public string GlobalIPv6Address { get; set; } = "";
    public int GlobalIPv6PrefixLen { get; set; }
    public string IPv6Gateway { get; set; } = "";

    public void ClearRuntime()
    {
        GlobalIPv6Address = "";
        GlobalIPv6PrefixLen = 0;
        IPv6Gateway = "";
        EndpointId = "";
        IPAddress = "";
        IPPrefixLen = 0;
        Gateway = "";
        MacAddress = "";
        InterfaceName = "";
    }
}
