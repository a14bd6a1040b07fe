using System.Globalization;
using Berth.Engine.Networks;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>berthd's settings for the default bridge and container networking (daemon.json keys and flags of dockerd's).</summary>
public sealed partial class DaemonOptions
{
    private const string NetworkControllerFailed = "failed to start daemon: Error initializing network controller: ";

    /// <summary>bip, fixed-cidr, ipv6, fixed-cidr-v6, ip6tables, mtu, bridge, icc, ip-masq, iptables, ip-forward, ip and default-gateway, validated.</summary>
    public DefaultBridgeSettings DefaultBridge { get; private set; } = new();

    /// <summary>Applies one networking key or flag; false when <paramref name="name"/> is not one of them.</summary>
    private bool ApplyBridgeOption(string name, List<string> values)
    {
        string last = values.Count > 0 ? values[^1] : "";
        var bridge = DefaultBridge;
        switch (name)
        {
            case "bip":
                if (!Ipv4Subnet.TryParse(last, out _)) throw BerthException.Invalid($"{NetworkControllerFailed}invalid CIDR address: {last}");
                bridge = bridge with { BridgeIp = last };
                break;
            case "fixed-cidr":
                if (!Ipv4Subnet.TryParse(last, out _)) throw BerthException.Invalid($"{NetworkControllerFailed}invalid CIDR address: {last}");
                bridge = bridge with { FixedCidr = last };
                break;
            case "fixed-cidr-v6":
                if (!Ipv6Subnet.TryParse(last, out _)) throw BerthException.Invalid($"{NetworkControllerFailed}invalid CIDR address: {last}");
                bridge = bridge with { FixedCidrV6 = last };
                break;
            case "ipv6": bridge = bridge with { EnableIpv6 = BridgeBool(name, last) }; break;
            case "ip6tables": bridge = bridge with { Ip6tables = BridgeBool(name, last) }; break;
            case "mtu":
                if (!int.TryParse(last, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int mtu))
                    throw TypeError(name, last, "int", "strconv.ParseInt: parsing \"" + last + "\": invalid syntax");
                if (mtu < 0) throw BerthException.Invalid($"{NetworkControllerFailed}Error creating default \"bridge\" network: invalid MTU number: {mtu}");
                bridge = bridge with { Mtu = mtu };
                break;
            case "bridge":
                bridge = bridge with { BridgeName = last.Length == 0 ? null : last };
                break;
            case "icc": bridge = bridge with { InterContainerCommunication = BridgeBool(name, last) }; break;
            case "ip-masq": bridge = bridge with { IpMasquerade = BridgeBool(name, last) }; break;
            case "iptables": bridge = bridge with { Iptables = BridgeBool(name, last) }; break;
            case "ip-forward": bridge = bridge with { IpForward = BridgeBool(name, last) }; break;
            case "ip": bridge = bridge with { DefaultBindingIp = BridgeAddress(name, last) }; break;
            case "default-gateway": bridge = bridge with { DefaultGateway = BridgeAddress(name, last) }; break;
            case "userland-proxy":
                // Published ports always go through berthd's own proxy; turning it off (for NAT rules) is warned about.
                if (!BridgeBool(name, last)) IgnoredKeys.Add(name);
                return true;
            default:
                return false;
        }
        DefaultBridge = CheckBridgeSettings(bridge);
        return true;
    }

    /// <summary>dockerd's checks that involve two settings; made whenever one changes, so the order they come in does not matter.</summary>
    private static DefaultBridgeSettings CheckBridgeSettings(DefaultBridgeSettings bridge)
    {
        if (bridge.BridgeName is not null && bridge.BridgeIp is not null)
            throw BerthException.Invalid("failed to start daemon: You specified -b & --bip, mutually exclusive options. Please specify only one");
        if (!bridge.Iptables && !bridge.InterContainerCommunication)
            throw BerthException.Invalid("failed to start daemon: You specified --iptables=false with --icc=false. ICC=false uses iptables to function. Please set --icc or --iptables to true");
        if (bridge.BridgeIp is { } bip)
        {
            try
            {
                NetworkAddressing.FromBridgeIp(bip, bridge.FixedCidr);
            }
            catch (BerthException exception)
            {
                throw BerthException.Invalid(NetworkControllerFailed + exception.Message);
            }
        }
        return bridge;
    }

    /// <summary>Once every file key and flag is in (ipv6 and fixed-cidr-v6 may come in either order): dockerd's start-up refusal.</summary>
    private void CheckDefaultBridgeIpv6()
    {
        if (DefaultBridge.EnableIpv6 && DefaultBridge.FixedCidrV6 is null && !DefaultBridge.BridgeDisabled)
            throw BerthException.Invalid($"{NetworkControllerFailed}IPv6 is enabled for the default bridge, but no subnet is configured. Specify an IPv6 subnet using --fixed-cidr-v6");
    }

    private bool BridgeBool(string name, string value) =>
        GoText.GoBool.Parse(value) ?? throw TypeError(name, value, "bool", $"strconv.ParseBool: parsing \"{value}\": invalid syntax");

    private System.Net.IPAddress BridgeAddress(string name, string value)
    {
        if (BridgeOptions.ParseGoIp(value) is { } address) return address;
        throw FromCommandLine(name)
            ? BerthException.Invalid($"invalid argument \"{value}\" for \"--{name}\" flag: {value} is not an ip address")
            : BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: invalid IP address: {value}");
    }

    /// <summary>A value of the wrong kind: pflag's message for a flag, encoding/json's for daemon.json.</summary>
    private BerthException TypeError(string name, string value, string goType, string flagReason) =>
        FromCommandLine(name)
            ? BerthException.Invalid($"invalid argument \"{value}\" for \"--{name}\" flag: {flagReason}")
            : BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: json: cannot unmarshal {JsonKind(value)} into Go struct field Config.{name} of type {goType}");

    private static string JsonKind(string value) =>
        value is "true" or "false" ? "bool" : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "number" : "string";

    /// <summary>
    /// Whether the setting came as a flag: dockerd refuses a setting given both ways, so the command line tells where a
    /// value came from (the messages differ).
    /// </summary>
    private bool FromCommandLine(string name) =>
        Arguments.Any(a => a == "--" + name || a.StartsWith("--" + name + "=", StringComparison.Ordinal) || (name == "bridge" && a == "-b"));
}
