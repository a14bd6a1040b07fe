using System.Net;
using Berth.Engine.Networks.Ports;

namespace Berth.Engine.Swarm;

/// <summary>
/// The swarm's ingress on one node: each published TCP port of a service is bound on the host once, and every
/// connection goes to the next running task (round robin), through the daemon's userland proxy. Docker does this with
/// IPVS and an ingress network; here IPVS is missing, so the proxy serves the same purpose. On the manager the
/// backends also include each worker's own mesh port, once per task the worker runs (see Orchestrator.MeshPorts).
/// </summary>
public sealed class RoutingMesh(PortPublisher publisher)
{
    private readonly Dictionary<int, Entry> _ports = [];

    /// <summary>Makes the bound ports exactly these, with these backends; a port that cannot be bound is skipped until the next pass.</summary>
    public async Task SyncAsync(IEnumerable<(string ServiceId, int Published, int Target, IReadOnlyList<IPEndPoint> Backends)> wanted)
    {
        var desired = wanted.ToDictionary(w => w.Published);
        foreach (var (port, entry) in _ports.ToList())
        {
            if (desired.TryGetValue(port, out var want) && want.ServiceId == entry.ServiceId) continue;
            _ports.Remove(port);
            await entry.Publication.DisposeAsync();
        }
        foreach (var (port, want) in desired)
        {
            if (!_ports.TryGetValue(port, out var entry))
            {
                entry = new Entry(want.ServiceId);
                try
                {
                    entry.Publication = publisher.PublishMesh(port, entry.Next);
                }
                catch (Berth.Oci.Errors.BerthException)
                {
                    continue; // taken by a container or another program: tried again next pass
                }
                _ports[port] = entry;
            }
            entry.Backends = [.. want.Backends];
        }
    }

    /// <summary>
    /// The ports the services publish through the mesh (TCP, ingress mode), each with the addresses of the running
    /// tasks among <paramref name="localTasks"/> (those whose containers live on this node), and whatever
    /// <paramref name="elsewhere"/> adds for a service's published port.
    /// </summary>
    public static IEnumerable<(string ServiceId, int Published, int Target, IReadOnlyList<IPEndPoint> Backends)> PortsOf(
        IEnumerable<Berth.Api.SwarmService> services, IEnumerable<Berth.Api.SwarmTask> localTasks, Containers.ContainerStore containers,
        Func<string, int, IEnumerable<IPEndPoint>>? elsewhere = null)
    {
        var running = localTasks.Where(t => TaskStates.IsWanted(t) && t.Status.State == "running").ToList();
        foreach (var service in services)
        {
            var ports = (service.Endpoint.Ports ?? []).Where(p => p.PublishMode == "ingress" && p.Protocol == "tcp").ToList();
            if (ports.Count == 0) continue;
            var addresses = running
                .Where(t => t.ServiceID == service.ID)
                .Select(t => containers.TryGet(t.Status.ContainerStatus?.ContainerID ?? ""))
                .Select(c => c?.Networking.Endpoints.FirstOrDefault()?.IPAddress)
                .Where(ip => !string.IsNullOrEmpty(ip))
                .Select(ip => IPAddress.Parse(ip!))
                .ToList();
            foreach (var port in ports)
                yield return (service.ID, (int)port.PublishedPort, (int)port.TargetPort,
                    [.. addresses.Select(a => new IPEndPoint(a, (int)port.TargetPort)), .. elsewhere?.Invoke(service.ID, (int)port.PublishedPort) ?? []]);
        }
    }

    private sealed class Entry(string serviceId)
    {
        private int _next = -1;

        public string ServiceId { get; } = serviceId;

        public PortPublication Publication { get; set; } = null!;

        public volatile IPEndPoint[] Backends = [];

        public IPEndPoint? Next()
        {
            var backends = Backends;
            if (backends.Length == 0) return null;
            int index = (int)((uint)Interlocked.Increment(ref _next) % (uint)backends.Length);
            return backends[index];
        }
    }
}
