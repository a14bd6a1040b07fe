using System.Collections.Concurrent;
using System.Net;
using Berth.Engine.Containers;
using Berth.Engine.Networks.Nftables;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Networks;

/// <summary>
/// Swarm services' virtual IPs (endpoint mode vip) on overlays: each address taken from the overlay's own allocator
/// (so no task or container ever gets it), answered by the embedded DNS for the service's name and aliases instead of
/// the tasks' addresses, and balanced over the running tasks by a nat table in the namespace of every container on
/// the overlay (<see cref="ServiceBalancer"/>), kept current as the swarm tells which tasks run.
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>Per overlay: the virtual addresses services hold (under <see cref="_overlayGate"/>).</summary>
    private readonly Dictionary<string, HashSet<IPAddress>> _virtualAddresses = new(StringComparer.Ordinal);

    private volatile IReadOnlyList<VirtualService> _virtualServices = [];

    /// <summary>What each live sandbox's table was last made from, by sandbox ID (a new one at every start).</summary>
    private readonly ConcurrentDictionary<string, string> _balancedSandboxes = new(StringComparer.Ordinal);

    private readonly Lock _balancerGate = new();

    /// <summary>A free address of the overlay for a service's virtual IP; held until <see cref="ReleaseVirtualAddress"/>.</summary>
    public IPAddress AllocateVirtualAddress(string networkId)
    {
        var network = Get(networkId);
        lock (_overlayGate)
        {
            var address = AllocatorOf(network).Allocate();
            VirtualSet(network.Id).Add(address);
            return address;
        }
    }

    /// <summary>A service's virtual IP given back (the service removed, or no longer on the network or in vip mode).</summary>
    public void ReleaseVirtualAddress(string networkId, IPAddress address)
    {
        if (TryGet(networkId) is not { } network) return;
        lock (_overlayGate)
        {
            if (VirtualSet(network.Id).Remove(address)) AllocatorOf(network).Release(address);
        }
    }

    /// <summary>
    /// The manager, on every pass: exactly the virtual IPs its services hold. Newly listed ones are taken from the
    /// allocators (after a daemon restart, whose allocators know only the containers' addresses), ones no longer listed
    /// given back. The caller holds the services still meanwhile, so an address just allocated for a service being
    /// created is always listed.
    /// </summary>
    public void HoldVirtualAddresses(IEnumerable<(string NetworkId, IPAddress Address)> held)
    {
        var wanted = held.GroupBy(h => h.NetworkId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(h => h.Address).ToHashSet(), StringComparer.Ordinal);
        lock (_overlayGate)
        {
            foreach (var networkId in _virtualAddresses.Keys.Union(wanted.Keys).ToList())
            {
                if (TryGet(networkId) is not { IsOverlay: true } network) { _virtualAddresses.Remove(networkId); continue; }
                var allocator = AllocatorOf(network);
                var mine = VirtualSet(network.Id);
                var keep = wanted.GetValueOrDefault(networkId) ?? [];
                foreach (var gone in mine.Where(a => !keep.Contains(a)).ToList())
                {
                    allocator.Release(gone);
                    mine.Remove(gone);
                }
                foreach (var address in keep.Where(mine.Add))
                    if (!allocator.IsAllocated(address)) allocator.Reserve(address);
            }
        }
    }

    /// <summary>
    /// The vip-mode services of the swarm with their running tasks' addresses (replaces what was set before): the DNS
    /// answers them at once, and each running container on their overlays gets its balancing rules made again where
    /// they changed.
    /// </summary>
    public void SetVirtualServices(IReadOnlyList<VirtualService> services)
    {
        _virtualServices = services;
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in _containers.List().Where(c => c.State.Running && c.Networking.SandboxId.Length > 0))
        {
            live.Add(container.Networking.SandboxId);
            Balance(container);
        }
        foreach (var stale in _balancedSandboxes.Keys.Where(k => !live.Contains(k))) _balancedSandboxes.TryRemove(stale, out _);
    }

    /// <summary>
    /// Makes the container's balancing table match the services on its overlays, when that changed since it was last
    /// made in this sandbox. A sandbox is always written once (a table left from before a daemon restart is replaced).
    /// Failures are logged: the container then reaches the tasks by tasks.&lt;service&gt; only.
    /// </summary>
    private void Balance(ContainerRecord container)
    {
        string netns = container.Networking.SandboxKey, sandbox = container.Networking.SandboxId;
        if (netns.Length == 0 || sandbox.Length == 0) return;
        var overlays = container.Networking.Endpoints
            .Where(e => e.EndpointId.Length > 0 && TryGet(e.NetworkId) is { IsOverlay: true })
            .Select(e => e.NetworkId).ToHashSet(StringComparer.Ordinal);
        if (overlays.Count == 0 && !_balancedSandboxes.ContainsKey(sandbox)) return;
        List<BalancedAddress> wanted = [.. _virtualServices.Where(s => overlays.Contains(s.NetworkId))
            .DistinctBy(s => s.Address).Select(s => new BalancedAddress(s.Address, s.Backends))];
        string signature = string.Join(';', wanted.Select(w => $"{w.Address}={string.Join(',', w.Backends)}"));
        lock (_balancerGate)
        {
            if (_balancedSandboxes.TryGetValue(sandbox, out var applied) && applied == signature) return;
            try
            {
                ServiceBalancer.Apply(netns, wanted);
                _balancedSandboxes[sandbox] = signature;
            }
            catch (BerthException exception)
            {
                // NotFound: the container stopped meanwhile, and its namespace is gone.
                if (exception.Kind != ErrorKind.NotFound)
                    _logger.LogWarning("service addresses of container {Id} not balanced: {Message}", container.Id, exception.Message);
            }
        }
    }

    /// <summary>The virtual IPs a name means on the container's networks (a vip-mode service's name or alias), or null.</summary>
    private List<IPAddress>? VirtualAddressesOf(IReadOnlyDictionary<string, string> networks, string name)
    {
        List<IPAddress>? result = null;
        foreach (var service in _virtualServices)
        {
            if (!networks.TryGetValue(service.NetworkId, out var networkName)) continue;
            string wanted = name.EndsWith("." + networkName, StringComparison.OrdinalIgnoreCase) ? name[..^(networkName.Length + 1)] : name;
            if (service.Names.Any(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase)) && result?.Contains(service.Address) != true)
                (result ??= []).Add(service.Address);
        }
        return result;
    }

    private HashSet<IPAddress> VirtualSet(string networkId)
    {
        if (!_virtualAddresses.TryGetValue(networkId, out var set)) _virtualAddresses[networkId] = set = [];
        return set;
    }
}

/// <summary>
/// A vip-mode service on one overlay as its containers see it: the names that resolve to its virtual IP (the service's
/// name and its aliases on that network) and the overlay addresses of its running tasks.
/// </summary>
public sealed record VirtualService(string NetworkId, IReadOnlyList<string> Names, IPAddress Address, IReadOnlyList<IPAddress> Backends);
