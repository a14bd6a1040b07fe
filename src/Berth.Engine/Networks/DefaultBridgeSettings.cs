using System.Net;

namespace Berth.Engine.Networks;

/// <summary>
/// dockerd's networking settings (daemon.json keys and flags): the default bridge's addressing and device, and how
/// the daemon treats traffic of its bridges. Already validated when the daemon's options were read.
/// </summary>
public sealed record DefaultBridgeSettings
{
    /// <summary>The name that turns the default bridge off ("bridge": "none", -b none).</summary>
    public const string Disabled = "none";

    /// <summary>"bip": the gateway with its prefix (10.99.0.1/24); null to plan the subnet (or take an existing bridge's).</summary>
    public string? BridgeIp { get; init; }

    /// <summary>"fixed-cidr": the part of the subnet containers' addresses come from.</summary>
    public string? FixedCidr { get; init; }

    /// <summary>"mtu": the default bridge's MTU; 0 for Docker's 1500.</summary>
    public int Mtu { get; init; }

    /// <summary>"bridge" / -b: null for a bridge of the daemon's own, "none" for no default bridge network, else an existing host bridge.</summary>
    public string? BridgeName { get; init; }

    /// <summary>"icc": whether containers on the default bridge reach each other.</summary>
    public bool InterContainerCommunication { get; init; } = true;

    /// <summary>"ip-masq" (off whenever "iptables" is).</summary>
    public bool IpMasquerade { get; init; } = true;

    /// <summary>"iptables": false installs no firewall rules at all (no NAT, no isolation between networks).</summary>
    public bool Iptables { get; init; } = true;

    /// <summary>"ipv6": the default bridge is dual-stack (requires <see cref="FixedCidrV6"/>, as dockerd does).</summary>
    public bool EnableIpv6 { get; init; }

    /// <summary>"fixed-cidr-v6": the default bridge's IPv6 subnet; listed in its IPAM config even without "ipv6".</summary>
    public string? FixedCidrV6 { get; init; }

    /// <summary>"ip6tables": false leaves IPv6 traffic of every network without NAT and isolation rules (the ip6 table).</summary>
    public bool Ip6tables { get; init; } = true;

    /// <summary>"ip-forward": whether the daemon turns net.ipv4.ip_forward on.</summary>
    public bool IpForward { get; init; } = true;

    /// <summary>"ip": the host address ports published on the default bridge bind to when they name none.</summary>
    public IPAddress? DefaultBindingIp { get; init; }

    /// <summary>"default-gateway": the containers' default route on the default bridge instead of the bridge's address.</summary>
    public IPAddress? DefaultGateway { get; init; }

    public bool BridgeDisabled => BridgeName == Disabled;

    /// <summary>A bridge the host made, used as it is (dockerd's -b NAME): berthd neither creates nor deletes it.</summary>
    public bool UsesHostBridge => BridgeName is { Length: > 0 } && !BridgeDisabled;
}
