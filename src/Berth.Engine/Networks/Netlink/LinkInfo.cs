namespace Berth.Engine.Networks.Netlink;

/// <summary>A network interface as the kernel reports it.</summary>
/// <param name="Kind">"bridge", "veth", ... from IFLA_INFO_KIND; null for physical and loopback devices.</param>
/// <param name="MasterIndex">The bridge the link is attached to, 0 when none.</param>
/// <param name="Alias">IFLA_IFALIAS, which Berth uses to mark the devices it created.</param>
public sealed record LinkInfo(int Index, string Name, string? Kind, int MasterIndex, int Mtu, bool IsUp, MacAddress? Mac, string? Alias);
