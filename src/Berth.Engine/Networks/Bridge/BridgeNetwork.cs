using Berth.Engine.Networks.Ipam;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Bridge;

/// <summary>A bridge network as the driver needs it: its device and addressing, and whether traffic may leave it.</summary>
/// <param name="BridgeName">The device: <see cref="DeviceNames.BridgeFor"/>, <see cref="DeviceNames.DefaultBridge"/>, or the
/// com.docker.network.bridge.name option.</param>
public sealed record BridgeNetwork(string Id, string Name, string BridgeName, NetworkAddressing Addressing)
{
    /// <summary>The IPv6 side of a dual-stack network (--ipv6); null for IPv4 only.</summary>
    public Ipv6Addressing? Ipv6 { get; init; }

    /// <summary>--internal: containers get no default route.</summary>
    public bool Internal { get; init; }

    /// <summary>com.docker.network.driver.mtu; 0 leaves the kernel's default.</summary>
    public int Mtu { get; init; }

    /// <summary>The bridge's (and so the gateway's) MAC address; null for a random one.</summary>
    public MacAddress? Mac { get; init; }

    /// <summary>
    /// Whether the host routes packets arriving on this bridge to other interfaces. Off by default: without NAT such
    /// packets are of no use outside, and routing them would let containers reach other networks' bridges.
    /// </summary>
    public bool Forwarding { get; init; }

    /// <summary>com.docker.network.bridge.enable_ip_masquerade (and the daemon's ip-masq): NAT for traffic leaving the host.</summary>
    public bool Masquerade { get; init; } = true;

    /// <summary>com.docker.network.bridge.enable_icc (and the daemon's icc): whether containers on the bridge reach each other.</summary>
    public bool InterContainerCommunication { get; init; } = true;

    /// <summary>A bridge the host made (dockerd's -b NAME): used as it is, never created or deleted, not tagged as the daemon's.</summary>
    public bool External { get; init; }

    /// <summary>daemon.json "default-gateway": the containers' default route instead of <see cref="NetworkAddressing"/>'s gateway.</summary>
    public System.Net.IPAddress? DefaultGateway { get; init; }
}
