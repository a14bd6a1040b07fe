using Berth.Engine.Networks.Ipam;

namespace Berth.Engine.Swarm;

public sealed partial class SwarmManager
{
    /// <summary>
    /// Where overlay networks take their subnets: the cluster's DefaultAddrPool cut into SubnetSize subnets (10.0.0.0/8
    /// in /24s unless swarm init said otherwise); null outside a swarm, where overlays cannot be made.
    /// </summary>
    public IReadOnlyList<AddressPool>? OverlayPools()
    {
        var cluster = _store.Active ? _store.Cluster : null;
        if (cluster is null) return null;
        int size = cluster.SubnetSize is > 0 and <= 32 ? (int)cluster.SubnetSize : 24;
        return [.. (cluster.DefaultAddrPool ?? ["10.0.0.0/8"]).Select(pool => new AddressPool(Ipv4Subnet.Parse(pool), size))];
    }

    /// <summary>A service whose spec names the network (swarm refuses to remove such a network).</summary>
    public string? ServiceUsingNetwork(string networkId) =>
        _store.Active
            ? _store.Services.FirstOrDefault(s => TaskNetworks.Of(s.Spec, ServiceSpecs.TaskTemplate(s.Spec)).Any(n => n.Target == networkId))?.ID
            : null;
}
