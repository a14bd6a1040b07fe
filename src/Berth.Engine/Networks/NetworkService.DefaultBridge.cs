using System.Net;
using System.Net.Sockets;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// The default "bridge" network from the daemon's settings (bip, fixed-cidr, ipv6, fixed-cidr-v6, mtu, bridge, icc,
/// ip-masq, ip, default-gateway). dockerd makes it again at every start from its settings; berthd keeps its record while the
/// settings stay the same, and makes it again (same ID, new addressing and device) when they changed.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>IPAM's auxiliary address that names the containers' default route instead of the bridge's address.</summary>
    public const string DefaultGatewayAuxKey = "DefaultGatewayIPv4";

    /// <summary>The daemon's networking settings (daemon.json / flags).</summary>
    public DefaultBridgeSettings DefaultBridge { get; init; } = new();

    private void EnsureDefaultBridge()
    {
        var settings = DefaultBridge;
        var existing = _store.TryGet("bridge") is { IsDefaultBridge: true } found ? found : null;
        if (existing is not null && EndpointsOf(existing).Count > 0)
        {
            // dockerd with live-restore and running containers: the old default bridge stays as it was.
            if (!Matches(existing, DesiredWithoutPlanning(existing)))
                _logger.LogInformation("There are old running containers, the network config will not take affect");
            return;
        }
        if (settings.BridgeDisabled)
        {
            if (existing is not null) DropDefaultBridge(existing);
            return;
        }
        using var hostLock = HostNetworkLock.Acquire();
        var desired = DesiredWithoutPlanning(existing);
        if (existing is not null && Matches(existing, desired)) return;
        if (existing is not null) DropDefaultBridge(existing);
        if (desired.Subnet is null)
        {
            // Planned after the old device went, so its route does not keep the planner off its own subnet.
            var addressing = WithFixedCidr(_planner.Plan(new IpamRequest(), OtherSubnets(), HostSubnets.Read(_netlink)));
            desired = desired.With(addressing, existing?.Id);
        }
        _store.Add(desired);
        if (existing is not null) _logger.LogInformation("default bridge network made again: {Subnet} on {Bridge}", desired.Subnet, desired.BridgeName);
        // Made while the host lock is held, so the next daemon planning sees its route.
        _bridges.EnsureBridge(BridgeOf(desired));
    }

    /// <summary>
    /// The record the settings ask for. Its addressing is left out (null subnet) when it must be planned: no bip, no host
    /// bridge with an address, and no earlier planned subnet to keep.
    /// </summary>
    private NetworkRecord DesiredWithoutPlanning(NetworkRecord? existing)
    {
        var settings = DefaultBridge;
        string bridgeName = settings.UsesHostBridge ? settings.BridgeName! : Names.DefaultBridge;
        var record = new NetworkRecord
        {
            Id = existing?.Id ?? NewId(),
            Name = "bridge",
            Driver = "bridge",
            Created = DateTimeOffset.UtcNow,
            Options = DefaultBridgeOptions(settings, bridgeName),
            BridgeName = bridgeName,
            ExternalBridge = settings.UsesHostBridge,
            AddressingConfigured = settings.BridgeIp is not null,
            AuxiliaryAddresses = settings.DefaultGateway is { } gateway ? new() { [DefaultGatewayAuxKey] = gateway.ToString() } : null,
            EnableIPv6 = settings.EnableIpv6,
            Ipv6 = DefaultBridgeIpv6(settings),
        };
        NetworkAddressing? addressing = null;
        if (settings.BridgeIp is { } bip) addressing = NetworkAddressing.FromBridgeIp(bip, settings.FixedCidr);
        else if (settings.UsesHostBridge) addressing = HostBridgeAddressing(bridgeName);
        else if (existing is { AddressingConfigured: false, ExternalBridge: false, Subnet: not null } && existing.BridgeName == bridgeName)
            addressing = new NetworkAddressing(Ipv4Subnet.Parse(existing.Subnet), IPAddress.Parse(existing.Gateway!));
        return addressing is null ? record : record.With(WithFixedCidr(addressing), record.Id);
    }

    /// <summary>
    /// "fixed-cidr-v6": the default bridge's IPv6 subnet as dockerd lists it (the prefix, host bits cleared), its first
    /// address the bridge's. dockerd lists it with or without "ipv6"; containers get addresses of it only with.
    /// </summary>
    private static NetworkIpv6Config? DefaultBridgeIpv6(DefaultBridgeSettings settings)
    {
        if (settings.FixedCidrV6 is not { } fixedCidr) return null;
        var subnet = Ipv6Subnet.Parse(fixedCidr);
        return new NetworkIpv6Config { Subnet = subnet.ToString(), Gateway = Ipv6Subnet.ToAddress(subnet.Network + 1).ToString(), GatewayChosen = true };
    }

    /// <summary>fixed-cidr without bip: the range inside the bridge's subnet, or (as dockerd) the range itself as the subnet.</summary>
    private NetworkAddressing WithFixedCidr(NetworkAddressing addressing)
    {
        if (DefaultBridge.BridgeIp is not null || DefaultBridge.FixedCidr is not { } fixedCidr) return addressing;
        var range = Ipv4Subnet.Parse(fixedCidr);
        return addressing.Subnet.Contains(range)
            ? addressing with { IpRange = range }
            : new NetworkAddressing(range, Ipv4Subnet.ToAddress(range.Network + 1), range);
    }

    /// <summary>-b NAME: the bridge must exist; its first IPv4 address is the gateway, as dockerd takes it.</summary>
    private NetworkAddressing? HostBridgeAddressing(string bridgeName)
    {
        var link = _netlink.FindLink(bridgeName)
            ?? throw BerthException.Invalid($"failed to start daemon: Error initializing network controller: Error creating default \"bridge\" network: bridge device with non default name {bridgeName} must be created manually");
        var address = _netlink.ListAddresses(AddressFamily.InterNetwork).FirstOrDefault(a => a.InterfaceIndex == link.Index);
        return address is null
            ? null
            : new NetworkAddressing(new Ipv4Subnet(Ipv4Subnet.ToUInt32(address.Address), address.PrefixLength), address.Address);
    }

    /// <summary>What `network inspect bridge` shows in Options: the daemon's settings, as dockerd lists them.</summary>
    private static Dictionary<string, string> DefaultBridgeOptions(DefaultBridgeSettings settings, string bridgeName) => new()
    {
        [BridgeOptions.DefaultBridge] = "true",
        [BridgeOptions.EnableIcc] = settings.InterContainerCommunication ? "true" : "false",
        // dockerd turns masquerading off with its iptables rules.
        [BridgeOptions.EnableIpMasquerade] = settings.IpMasquerade && settings.Iptables ? "true" : "false",
        [BridgeOptions.HostBindingIpv4] = settings.DefaultBindingIp?.ToString() ?? "0.0.0.0",
        [BridgeOptions.Name] = bridgeName,
        [BridgeOptions.Mtu] = (settings.Mtu > 0 ? settings.Mtu : 1500).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static bool Matches(NetworkRecord existing, NetworkRecord desired) =>
        existing.BridgeName == desired.BridgeName
        && existing.ExternalBridge == desired.ExternalBridge
        && existing.AddressingConfigured == desired.AddressingConfigured
        && (desired.Subnet is null || (existing.Subnet == desired.Subnet && existing.Gateway == desired.Gateway))
        && existing.IpRange == desired.IpRange
        && existing.EnableIPv6 == desired.EnableIPv6
        && existing.Ipv6?.Subnet == desired.Ipv6?.Subnet
        && SameEntries(existing.AuxiliaryAddresses, desired.AuxiliaryAddresses)
        && SameEntries(existing.Options, desired.Options);

    private static bool SameEntries(Dictionary<string, string>? left, Dictionary<string, string>? right) =>
        (left?.Count ?? 0) == (right?.Count ?? 0) && (left ?? []).All(p => right!.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>The old default bridge goes: its record, and its device unless the host made it.</summary>
    private void DropDefaultBridge(NetworkRecord existing)
    {
        if (!existing.ExternalBridge)
        {
            try
            {
                _bridges.DeleteBridge(BridgeOf(existing));
            }
            catch (BerthException exception)
            {
                _logger.LogWarning("old default bridge {Bridge} not removed: {Message}", existing.BridgeName, exception.Message);
            }
        }
        _store.Remove(existing);
        _allocators.Remove(existing.Id);
        _allocators6.Remove(existing.Id);
    }
}

internal static class DefaultBridgeRecords
{
    /// <summary>The record with <paramref name="addressing"/> (and the daemon's default-gateway as an auxiliary address).</summary>
    public static NetworkRecord With(this NetworkRecord record, NetworkAddressing addressing, string? id) => new()
    {
        Id = id ?? record.Id,
        Name = record.Name,
        Driver = record.Driver,
        Created = record.Created,
        Options = record.Options,
        BridgeName = record.BridgeName,
        ExternalBridge = record.ExternalBridge,
        AddressingConfigured = record.AddressingConfigured,
        Subnet = addressing.Subnet.ToString(),
        Gateway = addressing.Gateway.ToString(),
        IpRange = addressing.IpRange?.ToString(),
        AuxiliaryAddresses = record.AuxiliaryAddresses,
        EnableIPv6 = record.EnableIPv6,
        Ipv6 = record.Ipv6,
    };
}
