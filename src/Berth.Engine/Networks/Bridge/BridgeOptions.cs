using System.Globalization;
using System.Net;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Bridge;

/// <summary>
/// The bridge driver's options of a network (<c>network create -o</c>, and the default bridge's from the daemon's
/// settings), read with dockerd's rules and messages. Options left out keep the driver's defaults.
/// </summary>
public sealed record BridgeOptions
{
    public const string EnableIcc = "com.docker.network.bridge.enable_icc";
    public const string EnableIpMasquerade = "com.docker.network.bridge.enable_ip_masquerade";
    public const string HostBindingIpv4 = "com.docker.network.bridge.host_binding_ipv4";
    public const string Mtu = "com.docker.network.driver.mtu";
    public const string Name = "com.docker.network.bridge.name";
    public const string DefaultBridge = "com.docker.network.bridge.default_bridge";

    public bool InterContainerCommunication { get; init; } = true;
    public bool IpMasquerade { get; init; } = true;

    /// <summary>Null: ports that name no host address bind every address.</summary>
    public IPAddress? HostBindingIp { get; init; }

    /// <summary>0: the kernel's default.</summary>
    public int MtuValue { get; init; }

    /// <summary>Reads the options; a value dockerd cannot parse fails as dockerd fails it (500, its message).</summary>
    public static BridgeOptions Parse(IReadOnlyDictionary<string, string> options)
    {
        var parsed = new BridgeOptions();
        if (options.TryGetValue(EnableIcc, out var icc)) parsed = parsed with { InterContainerCommunication = Bool(EnableIcc, icc) };
        if (options.TryGetValue(EnableIpMasquerade, out var masquerade)) parsed = parsed with { IpMasquerade = Bool(EnableIpMasquerade, masquerade) };
        if (options.TryGetValue(HostBindingIpv4, out var binding))
        {
            if (ParseGoIp(binding) is not { } address)
                throw BerthException.Internal($"failed to parse {HostBindingIpv4} value: {binding} (nil ip)");
            parsed = parsed with { HostBindingIp = address.Equals(IPAddress.Any) ? null : address };
        }
        if (options.TryGetValue(Mtu, out var mtu))
        {
            if (!int.TryParse(mtu, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
                throw BerthException.Internal($"failed to parse {Mtu} value: {mtu} (strconv.Atoi: parsing \"{mtu}\": invalid syntax)");
            parsed = parsed with { MtuValue = CheckMtu(value) };
        }
        return parsed;
    }

    /// <summary>dockerd's bound: a negative MTU is refused, 0 means the default.</summary>
    public static int CheckMtu(int mtu) => mtu >= 0 ? mtu : throw BerthException.Internal($"invalid MTU number: {mtu}");

    /// <summary>Go's net.ParseIP: a dotted quad or an IPv6 address, nothing looser (IPAddress.Parse takes "1" too).</summary>
    public static IPAddress? ParseGoIp(string text) =>
        text.Contains(':')
            ? IPAddress.TryParse(text, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? v6 : null
            : Ipam.Ipv4Subnet.TryParseAddress(text, out uint v4) ? Ipam.Ipv4Subnet.ToAddress(v4) : null;

    private static bool Bool(string key, string text) =>
        GoText.GoBool.Parse(text) ??
            throw BerthException.Internal($"failed to parse {key} value: {text} (strconv.ParseBool: parsing \"{text}\": invalid syntax)");
}
