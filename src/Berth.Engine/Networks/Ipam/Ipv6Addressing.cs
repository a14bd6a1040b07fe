using System.Net;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// The IPv6 addressing of a dual-stack network, decided at create time and persisted with it (IPAM.Config's IPv6
/// entry): subnet, gateway, the sub-range dynamic addresses come from, reserved auxiliary addresses.
/// </summary>
public sealed record Ipv6Addressing(Ipv6Subnet Subnet, IPAddress Gateway, Ipv6Subnet? IpRange = null)
{
    public IReadOnlyDictionary<string, IPAddress> AuxiliaryAddresses { get; init; } = new Dictionary<string, IPAddress>();
}
