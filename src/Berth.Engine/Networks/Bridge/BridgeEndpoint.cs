using System.Net;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Bridge;

/// <summary>One container's attachment to a bridge network, to be made in its network namespace.</summary>
/// <param name="NetnsPath">The container's namespace: a bind-mounted netns file or /proc/PID/ns/net.</param>
/// <param name="Address">From the network's <see cref="Ipam.AddressAllocator"/>.</param>
public sealed record BridgeEndpoint(string EndpointId, string NetnsPath, IPAddress Address)
{
    /// <summary>The device inside the container: eth0 for the first network, eth1 ... for the next ones.</summary>
    public string InterfaceName { get; init; } = "eth0";

    /// <summary>--mac-address; by default Docker's 02:42 + the IPv4 address.</summary>
    public MacAddress? Mac { get; init; }

    /// <summary>The endpoint's IPv6 address on a dual-stack network (from its <see cref="Ipam.Ipv6AddressAllocator"/>).</summary>
    public IPAddress? Address6 { get; init; }

    /// <summary>Whether this network's gateway becomes the container's default route (one network per container).</summary>
    public bool DefaultRoute { get; init; } = true;
}

/// <summary>What connecting made: for NetworkSettings and for <see cref="BridgeDriver.Disconnect"/>.</summary>
public sealed record EndpointAttachment(string HostInterface, string ContainerInterface, MacAddress Mac, IPAddress Address,
    int PrefixLength, IPAddress? Gateway)
{
    /// <summary>The IPv6 side on a dual-stack network: address, prefix length, and the gateway of its default route (if any).</summary>
    public IPAddress? Address6 { get; init; }
    public int PrefixLength6 { get; init; }
    public IPAddress? Gateway6 { get; init; }
}
