using System.Security.Cryptography;
using System.Text;
using Berth.Engine.Networks.Netlink;

namespace Berth.Engine.Networks.Bridge;

/// <summary>
/// Names and marks for the devices one daemon creates. Several berthd instances (and other engines) share the host,
/// so every name carries a per-daemon prefix derived from the daemon's identity (its data root), and every device is
/// marked with an owner tag in its alias: a daemon only ever deletes devices bearing its own tag.
/// </summary>
public sealed class DeviceNames
{
    /// <param name="daemonIdentity">Stable across restarts of the same daemon and distinct between daemons: the data root path.</param>
    public DeviceNames(string daemonIdentity)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(daemonIdentity)));
        Prefix = hash[..5];
        OwnerTag = "berth:" + hash[..16];
    }

    /// <summary>Five hex characters shared by all of this daemon's device names.</summary>
    public string Prefix { get; }

    /// <summary>The IFLA_IFALIAS value of every device this daemon created.</summary>
    public string OwnerTag { get; }

    /// <summary>
    /// This daemon's nftables table (family ip): "berth_" + the owner tag's hash, so it never meets another daemon's
    /// table or another engine's (iptables-nft uses "filter" and "nat").
    /// </summary>
    public string FirewallTable => "berth_" + OwnerTag["berth:".Length..];

    /// <summary>The default bridge network's device when daemon.json names none ("berth" + prefix, 10 characters).</summary>
    public string DefaultBridge => "berth" + Prefix;

    /// <summary>A user-defined network's bridge: "br" + prefix + 8 characters of the network ID (15, the kernel's limit).</summary>
    public string BridgeFor(string networkId) => "br" + Prefix + Short(networkId);

    /// <summary>The host end of an endpoint's veth pair: "ve" + prefix + 8 characters of the endpoint ID.</summary>
    public string VethFor(string endpointId) => "ve" + Prefix + Short(endpointId);

    /// <summary>An overlay's VXLAN device, on the overlay's bridge: "vx" + prefix + 8 characters of the network ID.</summary>
    public string VxlanFor(string networkId) => "vx" + Prefix + Short(networkId);

    public bool IsOwned(LinkInfo link) => link.Alias == OwnerTag;

    /// <summary>IDs are hex already; anything else (or too short) is hashed into the same alphabet.</summary>
    private static string Short(string id) =>
        id.Length >= 8 && id.AsSpan(0, 8).IndexOfAnyExcept("0123456789abcdef") < 0
            ? id[..8]
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..8];
}
