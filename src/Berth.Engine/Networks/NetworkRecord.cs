using System.Net;
using System.Text.Json.Serialization;
using Berth.Engine.Networks.Ipam;

namespace Berth.Engine.Networks;

/// <summary>Everything berthd keeps about one network, in <c>networks/&lt;id&gt;.json</c>.</summary>
public sealed class NetworkRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>"bridge", "overlay", "host" or "null" (the `none` network), as dockerd names its drivers.</summary>
    public required string Driver { get; init; }
    public string Scope { get; init; } = "local";
    public required DateTimeOffset Created { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public Dictionary<string, string> Options { get; init; } = [];
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>Bridge networks only: the addressing decided at create time.</summary>
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    public string? IpRange { get; init; }

    /// <summary>
    /// The request named a subnet and no gateway: the gateway was chosen here, and inspect leaves it out of
    /// IPAM.Config as dockerd does (it shows a gateway only when it was asked for or the whole subnet was chosen).
    /// </summary>
    public bool GatewayChosen { get; init; }

    /// <summary>--aux-address: name → address, reserved from allocation (null when none; older records have none).</summary>
    public Dictionary<string, string>? AuxiliaryAddresses { get; init; }

    /// <summary>--ipv6: containers get an address of <see cref="Ipv6"/> too (dockerd keeps an IPv6 config without it, unused).</summary>
    public bool EnableIPv6 { get; init; }

    /// <summary>The IPv6 entry of IPAM.Config (null for IPv4-only networks).</summary>
    public NetworkIpv6Config? Ipv6 { get; init; }

    /// <summary>--ipam-opt as the client sent it (the docker CLI sends {}; null when the request had none).</summary>
    public Dictionary<string, string>? IpamOptions { get; init; }

    /// <summary>
    /// A worker's copy of a swarm overlay, made for its tasks as the manager defined it. Only tasks join it: the
    /// manager hands out its addresses, so a container of this node's own could take one a task elsewhere holds.
    /// </summary>
    public bool ManagerDefined { get; init; }

    /// <summary>Bridge networks only: the device on the host.</summary>
    public string? BridgeName { get; init; }

    /// <summary>The default bridge on a bridge the host made (dockerd's -b NAME): berthd never creates or deletes that device.</summary>
    public bool ExternalBridge { get; init; }

    /// <summary>The default bridge's addressing came from daemon.json "bip"; without it the daemon plans a subnet again.</summary>
    public bool AddressingConfigured { get; init; }

    [JsonIgnore]
    public bool IsPredefined => Name is "bridge" or "host" or "none";

    /// <summary>Whether a bridge on this host carries the network: bridge networks, and overlays (see NetworkService.Overlay.cs).</summary>
    [JsonIgnore]
    public bool IsBridge => Driver is "bridge" or NetworkService.OverlayDriver;

    [JsonIgnore]
    public bool IsOverlay => Driver == NetworkService.OverlayDriver;

    [JsonIgnore]
    public bool IsDefaultBridge => Name == "bridge";

    public NetworkAddressing Addressing() =>
        new(Ipv4Subnet.Parse(Subnet ?? throw new InvalidOperationException($"network {Name} has no subnet")),
            IPAddress.Parse(Gateway!), IpRange is null ? null : Ipv4Subnet.Parse(IpRange))
        {
            AuxiliaryAddresses = (AuxiliaryAddresses ?? []).ToDictionary(p => p.Key, p => IPAddress.Parse(p.Value)),
        };

    /// <summary>The IPv6 addressing containers get on this network: null unless it is enabled and configured.</summary>
    public Ipv6Addressing? Ipv6Addressing() => EnableIPv6 && Ipv6 is { } v6 ? v6.Addressing() : null;
}

/// <summary>The IPv6 entry of a network's IPAM config, as decided at create time.</summary>
public sealed class NetworkIpv6Config
{
    /// <summary>As the request wrote it (dockerd shows fd13::5/64 back as given).</summary>
    public required string Subnet { get; init; }
    public required string Gateway { get; init; }
    public string? IpRange { get; init; }

    /// <summary>Chosen here, not asked for: inspect leaves it out, as dockerd does.</summary>
    public bool GatewayChosen { get; init; }
    public Dictionary<string, string>? AuxiliaryAddresses { get; init; }

    public Ipv6Addressing Addressing() =>
        new(Ipv6Subnet.Parse(Subnet), IPAddress.Parse(Gateway), IpRange is null ? null : Ipv6Subnet.Parse(IpRange))
        {
            AuxiliaryAddresses = (AuxiliaryAddresses ?? []).ToDictionary(p => p.Key, p => IPAddress.Parse(p.Value)),
        };
}

[JsonSerializable(typeof(NetworkRecord))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
