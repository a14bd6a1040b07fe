using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Networks;

namespace Berth.Engine.Swarm;

/// <summary>
/// Endpoint.VirtualIPs of a vip-mode service (EndpointSpec.Mode "vip", swarm's default): one address per overlay the
/// service joins, from that overlay's pool, shown as "10.0.1.2/24" as swarm shows it. Taken when the service is
/// created or joins the network, kept across updates and daemon restarts (the service record holds it), given back
/// when the service is removed, leaves the network or turns to dnsrr, which has none.
/// </summary>
public static class ServiceVirtualIps
{
    public static bool IsVipMode(JsonObject spec) =>
        !string.Equals(spec["EndpointSpec"]?["Mode"]?.GetValue<string>(), "dnsrr", StringComparison.OrdinalIgnoreCase);

    /// <summary>The virtual IPs <paramref name="spec"/> needs: <paramref name="previous"/>'s where the network is the same, new ones elsewhere.</summary>
    public static List<EndpointVirtualIp>? Plan(NetworkService? networks, JsonObject spec, IReadOnlyList<EndpointVirtualIp>? previous)
    {
        if (networks is null || !IsVipMode(spec)) return null;
        var result = new List<EndpointVirtualIp>();
        foreach (var target in TaskNetworks.Of(spec, ServiceSpecs.TaskTemplate(spec)).Select(n => n.Target).Distinct(StringComparer.Ordinal))
        {
            if (networks.TryGet(target) is not { IsOverlay: true } network) continue;
            if (previous?.FirstOrDefault(v => v.NetworkID == network.Id) is { } kept)
            {
                result.Add(kept);
                continue;
            }
            var address = networks.AllocateVirtualAddress(network.Id);
            result.Add(new EndpointVirtualIp
            {
                NetworkID = network.Id,
                Addr = $"{address}/{network.Addressing().Subnet.PrefixLength.ToString(CultureInfo.InvariantCulture)}",
            });
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>Gives back the addresses of <paramref name="previous"/> that <paramref name="current"/> no longer holds.</summary>
    public static void Release(NetworkService? networks, IReadOnlyList<EndpointVirtualIp>? previous, IReadOnlyList<EndpointVirtualIp>? current = null)
    {
        if (networks is null) return;
        foreach (var gone in (previous ?? []).Where(p => current?.Any(c => c.NetworkID == p.NetworkID && c.Addr == p.Addr) != true))
            if (AddressOf(gone) is { } address) networks.ReleaseVirtualAddress(gone.NetworkID, address);
    }

    /// <summary>Every (network, address) the services hold.</summary>
    public static IEnumerable<(string NetworkId, IPAddress Address)> HeldBy(IEnumerable<SwarmService> services) =>
        services.SelectMany(s => s.Endpoint.VirtualIPs ?? [])
            .Select(v => (v.NetworkID, AddressOf(v)))
            .Where(p => p.Item2 is not null)
            .Select(p => (p.NetworkID, p.Item2!));

    /// <summary>
    /// The vip-mode services on <paramref name="networkIds"/> (all when null) as the containers there see them: the
    /// names that mean the virtual IP, and the overlay addresses of the running tasks, wherever they run.
    /// </summary>
    public static List<VirtualService> Of(IEnumerable<SwarmService> services, IEnumerable<SwarmTask> tasks, IReadOnlySet<string>? networkIds = null)
    {
        var running = tasks.Where(t => TaskStates.IsWanted(t) && t.Status.State == "running")
            .GroupBy(t => t.ServiceID).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var result = new List<VirtualService>();
        foreach (var service in services)
        {
            string name = ServiceSpecs.Name(service.Spec);
            var attachments = TaskNetworks.Of(service.Spec, ServiceSpecs.TaskTemplate(service.Spec));
            foreach (var vip in service.Endpoint.VirtualIPs ?? [])
            {
                if (networkIds is not null && !networkIds.Contains(vip.NetworkID)) continue;
                if (AddressOf(vip) is not { } address) continue;
                var aliases = attachments.Where(a => a.Target == vip.NetworkID).SelectMany(a => a.Aliases).Where(a => a.Length > 0);
                var backends = (running.GetValueOrDefault(service.ID) ?? [])
                    .SelectMany(t => t.NetworksAttachments ?? [])
                    .Where(a => a.Network["ID"]?.GetValue<string>() == vip.NetworkID)
                    .SelectMany(a => a.Addresses)
                    .Select(text => IPAddress.TryParse(text.Split('/')[0], out var ip) ? ip : null)
                    .OfType<IPAddress>()
                    .Distinct()
                    .OrderBy(ip => ip.ToString(), StringComparer.Ordinal) // a stable order: rules change only when the tasks do
                    .ToList();
                result.Add(new VirtualService(vip.NetworkID, [name, .. aliases.Where(a => a != name).Distinct(StringComparer.Ordinal)], address, backends));
            }
        }
        return result;
    }

    private static IPAddress? AddressOf(EndpointVirtualIp vip) =>
        IPAddress.TryParse(vip.Addr.Split('/')[0], out var address) ? address : null;
}
