using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>docker's idresolver: service and node IDs to names through the API, cached; an ID that cannot be inspected stays an ID.</summary>
public sealed class NameResolver(EngineClient client, bool noResolve)
{
    private readonly Dictionary<string, string> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodes = new(StringComparer.Ordinal);

    public async Task<string> ServiceAsync(string id, CancellationToken cancellation)
    {
        if (noResolve || id.Length == 0)
            return id;
        if (!_services.TryGetValue(id, out var name))
        {
            try
            {
                name = (await client.InspectServiceAsync(id, cancellation)).Spec.Str("Name");
            }
            catch (EngineApiException)
            {
                name = id;
            }
            _services[id] = name;
        }
        return name;
    }

    public async Task<string> NodeAsync(string id, CancellationToken cancellation)
    {
        if (noResolve || id.Length == 0)
            return id;
        if (!_nodes.TryGetValue(id, out var name))
        {
            try
            {
                var node = await client.InspectNodeAsync(id, cancellation);
                name = node.Spec.Str("Name") is { Length: > 0 } n ? n : node.Description.Hostname;
            }
            catch (EngineApiException)
            {
                name = id;
            }
            _nodes[id] = name;
        }
        return name;
    }

    /// <summary>Resolves every ID the tasks name, so the table code can look them up synchronously.</summary>
    public async Task<(Func<string, string> Services, Func<string, string> Nodes)> PrepareAsync(IEnumerable<Berth.Api.SwarmTask> tasks, CancellationToken cancellation)
    {
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            services[task.ServiceID] = await ServiceAsync(task.ServiceID, cancellation);
            nodes[task.NodeID ?? ""] = await NodeAsync(task.NodeID ?? "", cancellation);
        }
        return (id => services.GetValueOrDefault(id, id), id => nodes.GetValueOrDefault(id, id));
    }
}
