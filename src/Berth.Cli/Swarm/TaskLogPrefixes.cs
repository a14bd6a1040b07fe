using System.Globalization;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>"SERVICE.SLOT[.TASKID]@NODE" for a log line's task, padded to the widest slot number, cached per task.</summary>
public sealed class TaskLogPrefixes(EngineClient client, NameResolver names, int padding, bool noTaskIds, bool noTrunc)
{
    private readonly Dictionary<(string Node, string Service, string Task), string> _cache = [];

    public async Task<string> FormatAsync(string nodeId, string serviceId, string taskId, CancellationToken cancellation)
    {
        if (_cache.TryGetValue((nodeId, serviceId, taskId), out var cached))
            return cached;
        var node = await names.NodeAsync(nodeId, cancellation);
        var service = await names.ServiceAsync(serviceId, cancellation);
        var task = await client.InspectTaskAsync(taskId, cancellation);
        var slot = task.Slot.ToString(CultureInfo.InvariantCulture);
        var name = $"{service}.{slot}";
        if (!noTaskIds)
            name += "." + (noTrunc ? task.ID : ServiceRows.Short(task.ID));
        var formatted = name + "@" + node + new string(' ', Math.Max(0, padding - slot.Length));
        _cache[(nodeId, serviceId, taskId)] = formatted;
        return formatted;
    }
}
