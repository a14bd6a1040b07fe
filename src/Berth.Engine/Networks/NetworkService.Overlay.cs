using Berth.Engine.Containers;
using Berth.Engine.Networks.Ipam;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// The overlay driver: on each node an overlay is a bridge that carries swarm's scope, address pool, attachable rule
/// and lifetime (it goes when the swarm is left). When tasks on several nodes join it, VXLAN joins the nodes' bridges
/// (NetworkService.OverlayNodes.cs).
/// </summary>
public sealed partial class NetworkService
{
    public const string OverlayDriver = "overlay";
    private const string VxlanIdOption = "com.docker.network.driver.overlay.vxlanid_list";

    /// <summary>
    /// Set by the daemon: the swarm's address pools (cluster DefaultAddrPool and SubnetSize) while this node is in a
    /// swarm, null otherwise.
    /// </summary>
    public Func<IReadOnlyList<AddressPool>?> SwarmPools { get; set; } = () => null;

    /// <summary>The checks Docker makes before an overlay is created; answers the planner of the swarm's pools.</summary>
    private SubnetPlanner OverlayPlanner(NetworkCreateSpec spec)
    {
        var pools = SwarmPools()
            // dockerd answers 500 here, unlike the swarm endpoints' 503.
            ?? throw BerthException.Internal("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
        if (spec.Ingress)
            throw BerthException.NotImplemented("berthd's routing mesh needs no ingress network: published ports reach the tasks through the daemon");
        return new SubnetPlanner(pools);
    }

    /// <summary>
    /// The overlay's VXLAN ID (shown in inspect as by Docker): the lowest one from 4097 (4096 being ingress's in Docker)
    /// that no other overlay holds, since VXLAN tells the overlays apart by it.
    /// </summary>
    private Dictionary<string, string> OverlayOptions(IReadOnlyDictionary<string, string> requested)
    {
        var taken = _store.List().Where(n => n.IsOverlay).Select(n => n.Options.GetValueOrDefault(VxlanIdOption)).ToHashSet();
        int next = 4097;
        while (taken.Contains(next.ToString(System.Globalization.CultureInfo.InvariantCulture))) next++;
        var options = new Dictionary<string, string>(requested) { [VxlanIdOption] = next.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return options;
    }

    /// <summary>
    /// docker run on an overlay that is not attachable: dockerd accepts the create and refuses the start with this.
    /// Swarm's own task containers always may. On a worker no other container may (see <see cref="NetworkRecord.ManagerDefined"/>).
    /// </summary>
    private static void CheckAttachable(ContainerRecord container, NetworkRecord network)
    {
        if (!network.IsOverlay) return;
        if (container.Config.Labels?.ContainsKey("com.docker.swarm.task.id") == true) return;
        if (network.ManagerDefined)
            throw BerthException.NotImplemented($"Could not attach to network {network.Name}: berthd attaches containers other than tasks to an overlay on the swarm's manager only");
        if (network.Attachable) return;
        throw BerthException.Internal($"Could not attach to network {network.Name}: rpc error: code = PermissionDenied desc = network {network.Name} not manually attachable");
    }

    /// <summary>Set by the daemon: the ID of a swarm service whose spec names the network, if any.</summary>
    public Func<string, string?> SwarmServiceUsing { get; set; } = _ => null;

    /// <summary>
    /// Before an overlay goes: refused while a service names it (swarm's words); the endpoints of task containers
    /// still stopping after their service went are released at once, as swarm removes the network without waiting
    /// for them (their containers are removed moments later).
    /// </summary>
    private void PrepareOverlayRemoval(NetworkRecord network)
    {
        if (SwarmServiceUsing(network.Id) is { } serviceId)
            throw BerthException.Invalid($"rpc error: code = FailedPrecondition desc = network {network.Id} is in use by service {serviceId}");
        foreach (var (container, endpoint) in EndpointsOf(network))
        {
            if (container.Config.Labels?.ContainsKey("com.docker.swarm.task.id") != true) continue;
            Detach(endpoint);
            _containers.Save(container);
        }
    }

    /// <summary>
    /// Leaving the swarm: its networks go, as in Docker. Called once the tasks' containers are gone; a network that
    /// other containers still use stays (and is logged).
    /// </summary>
    public void RemoveSwarmNetworks()
    {
        foreach (var network in _store.List().Where(n => n.IsOverlay))
        {
            try
            {
                Remove(network.Id);
            }
            catch (BerthException exception)
            {
                _logger.LogWarning("swarm network {Name} kept after leaving the swarm: {Message}", network.Name, exception.Message);
            }
        }
    }

    /// <summary>
    /// Names a swarm task's container answers beyond its own (its service name and aliases are endpoint aliases):
    /// tasks.&lt;service&gt;, which Docker resolves to every task's address even in VIP mode.
    /// </summary>
    private static IEnumerable<string> SwarmDnsNamesOf(ContainerRecord container) =>
        container.Config.Labels?.GetValueOrDefault("com.docker.swarm.service.name") is { Length: > 0 } service ? ["tasks." + service] : [];
}
