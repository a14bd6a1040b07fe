using System.Net;

namespace Berth.Engine.Networks.Ipam;

/// <summary>
/// The IPv4 addressing of one network, as decided when it was created and persisted with it: subnet, gateway,
/// the sub-range dynamic addresses come from (--ip-range), and reserved auxiliary addresses (--aux-address).
/// </summary>
public sealed record NetworkAddressing(Ipv4Subnet Subnet, IPAddress Gateway, Ipv4Subnet? IpRange = null)
{
    public IReadOnlyDictionary<string, IPAddress> AuxiliaryAddresses { get; init; } = new Dictionary<string, IPAddress>();

    /// <summary>The default bridge from daemon.json "bip" (its gateway/prefix, "172.17.0.1/16") and "fixed-cidr".</summary>
    public static NetworkAddressing FromBridgeIp(string bip, string? fixedCidr = null)
    {
        var subnet = Ipv4Subnet.Parse(bip);
        Ipv4Subnet.TryParseAddress(bip[..bip.IndexOf('/')], out uint gateway);
        if (gateway == subnet.Network || gateway == subnet.Broadcast)
            throw Oci.Errors.BerthException.Invalid(
                $"Error creating default \"bridge\" network: failed to allocate gateway ({Ipv4Subnet.ToAddress(gateway)}): Address already in use");
        Ipv4Subnet? range = null;
        if (!string.IsNullOrEmpty(fixedCidr))
        {
            var parsed = Ipv4Subnet.Parse(fixedCidr);
            // dockerd starts and hands out addresses of the whole subnet instead: a mistake better said at once.
            if (!subnet.Contains(parsed)) throw Oci.Errors.BerthException.Invalid($"fixed-cidr {fixedCidr} is not inside bip {bip}");
            range = parsed;
        }
        return new NetworkAddressing(subnet, Ipv4Subnet.ToAddress(gateway), range);
    }
}
