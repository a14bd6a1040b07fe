using Berth.Api;
using Berth.Client;
using Berth.Client.Http;

namespace Berth.Cli.Swarm;

/// <summary>
/// Waits for a service to converge, printing what docker's CLI prints when stdout is not a terminal: the
/// "1/2: " slot lines once, task errors, "overall progress: R out of N tasks" until all run, then the
/// "verify:" countdown over the monitor period and "verify: Service ID converged".
/// </summary>
public sealed partial class ServiceProgress(EngineClient client, TextWriter output, TimeSpan? pollInterval = null)
{
    private const int MaxProgressBars = 100;
    private static readonly string[] States =
        ["new", "allocated", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running", "complete", "shutdown", "failed", "rejected", "remove", "orphaned"];

    private readonly TimeSpan _poll = pollInterval ?? TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<int, int> _slotMap = [];
    private bool _initialized;
    private bool _done;

    public async Task WaitAsync(string serviceId, CancellationToken cancellation)
    {
        var monitor = TimeSpan.FromSeconds(5);
        var converged = false;
        var convergedAt = DateTimeOffset.MinValue;
        var rollback = false;
        string? finalMessage = null;
        while (true)
        {
            var service = await client.InspectServiceAsync(serviceId, cancellation);
            if (service.Spec.Obj("UpdateConfig").Long("Monitor") is var m && m > 0)
                monitor = TimeSpan.FromTicks(m / 100);
            switch (service.UpdateStatus?.State)
            {
                case "updating":
                    rollback = false;
                    break;
                case "completed":
                    if (!converged)
                        return;
                    break;
                case "paused":
                    throw new CliException($"service update paused: {service.UpdateStatus.Message}");
                case "rollback_started":
                    if (!rollback && service.UpdateStatus.Message.Length > 0)
                        Write("rollback", service.UpdateStatus.Message);
                    rollback = true;
                    break;
                case "rollback_paused":
                    throw new CliException($"service rollback paused: {service.UpdateStatus.Message}");
                case "rollback_completed":
                    if (!converged)
                        finalMessage = service.UpdateStatus.Message;
                    rollback = true;
                    break;
            }
            if (converged && DateTimeOffset.UtcNow - convergedAt >= monitor)
            {
                Write("verify", $"Service {serviceId} converged");
                if (finalMessage is not null)
                    Write("rollback", finalMessage);
                return;
            }
            var tasks = await client.ListTasksAsync(new Filters().Add("service", service.ID).Add("_up-to-date", "true"), cancellation);
            var nodes = await client.ListNodesAsync(null, cancellation);
            var active = nodes.Where(n => n.Status.State != "down").Select(n => n.ID).ToHashSet(StringComparer.Ordinal);
            var mode = service.Spec.Obj("Mode");
            converged = mode switch
            {
                not null when mode.ContainsKey("ReplicatedJob") => UpdateReplicatedJob(service, tasks),
                not null when mode.ContainsKey("GlobalJob") => UpdateGlobalJob(service, tasks, active),
                not null when mode.ContainsKey("Global") => UpdateGlobal(tasks, active, rollback),
                _ => UpdateReplicated(service, tasks, active, rollback),
            };
            if (converged && service.JobStatus is not null)
            {
                // A job stays done once done: nothing to verify.
                output.Write("job complete\n");
                output.Flush();
                return;
            }
            if (converged)
            {
                if (convergedAt == DateTimeOffset.MinValue)
                    convergedAt = DateTimeOffset.UtcNow;
                var wait = monitor - (DateTimeOffset.UtcNow - convergedAt);
                if (wait >= TimeSpan.Zero)
                    Write("verify", $"Waiting {(long)(wait.Ticks / TimeSpan.TicksPerSecond) + 1} seconds to verify that tasks are stable...");
            }
            else
            {
                if (convergedAt != DateTimeOffset.MinValue)
                    Write("verify", "Detected task failure");
                convergedAt = DateTimeOffset.MinValue;
            }
            output.Flush();
            await Task.Delay(_poll, cancellation);
        }
    }

    private void Write(string id, string text) => output.Write($"{id}: {text}\n");

    private static int Rank(string state) => Array.IndexOf(States, state) + 1;

    private static bool Terminal(string state) => Rank(state) > Rank("running");

    private bool UpdateReplicated(SwarmService service, List<SwarmTask> tasks, HashSet<string> active, bool rollback)
    {
        var replicas = service.Spec.Obj("Mode").Obj("Replicated")?["Replicas"] is { } r ? r.GetValue<long>() : 1;
        if (!_initialized)
        {
            if (replicas <= MaxProgressBars)
            {
                for (var i = 1; i <= replicas; i++)
                    Write($"{i}/{replicas}", " ");
            }
            _initialized = true;
        }
        var bySlot = new Dictionary<int, SwarmTask>();
        foreach (var task in tasks)
        {
            if (Rank(task.DesiredState) == 0 || Rank(task.Status.State) == 0)
                continue;
            if (bySlot.TryGetValue(task.Slot, out var existing))
            {
                if (Rank(existing.DesiredState) < Rank(task.DesiredState))
                    continue;
                if (Rank(existing.DesiredState) == Rank(task.DesiredState) && Rank(existing.Status.State) <= Rank(task.Status.State))
                    continue;
            }
            if (!string.IsNullOrEmpty(task.NodeID) && !active.Contains(task.NodeID))
                continue;
            bySlot[task.Slot] = task;
        }
        if (_done && bySlot.Values.Any(t => t.Status.State != "running"))
            _done = false;
        var running = 0;
        foreach (var task in bySlot.Values.OrderBy(t => t.Slot))
        {
            if (!_slotMap.TryGetValue(task.Slot, out var mapped))
                _slotMap[task.Slot] = mapped = _slotMap.Count + 1;
            if (!Terminal(task.DesiredState) && task.Status.State == "running")
                running++;
            if (!_done && replicas <= MaxProgressBars && mapped <= replicas && !string.IsNullOrEmpty(task.Status.Err))
                Write($"{mapped}/{replicas}", TruncateError(task.Status.Err));
        }
        if (!_done)
        {
            WriteOverall(running, replicas, rollback);
            if (running == replicas)
                _done = true;
        }
        return running == replicas;
    }

    private bool UpdateGlobal(List<SwarmTask> tasks, HashSet<string> active, bool rollback)
    {
        var byNode = new Dictionary<string, SwarmTask>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (Rank(task.DesiredState) == 0 || Rank(task.Status.State) == 0 || string.IsNullOrEmpty(task.NodeID))
                continue;
            if (byNode.TryGetValue(task.NodeID, out var existing)
                && (Rank(existing.DesiredState) < Rank(task.DesiredState)
                    || (Rank(existing.DesiredState) == Rank(task.DesiredState) && Rank(existing.Status.State) <= Rank(task.Status.State))))
                continue;
            byNode[task.NodeID] = task;
        }
        if (!_initialized)
        {
            if (byNode.Count == 0)
            {
                Write("overall progress", "waiting for new tasks");
                return false;
            }
            if (byNode.Count <= MaxProgressBars)
            {
                foreach (var node in byNode.Keys.Where(active.Contains).Order(StringComparer.Ordinal))
                    Write(node.Length > 12 ? node[..12] : node, " ");
            }
            _initialized = true;
        }
        if (_done && byNode.Values.Any(t => t.Status.State != "running"))
            _done = false;
        var running = 0;
        foreach (var task in byNode.Values.Where(t => active.Contains(t.NodeID!)))
        {
            if (!Terminal(task.DesiredState) && task.Status.State == "running")
                running++;
            if (!_done && byNode.Count <= MaxProgressBars && !string.IsNullOrEmpty(task.Status.Err))
                Write(task.NodeID!.Length > 12 ? task.NodeID[..12] : task.NodeID, TruncateError(task.Status.Err));
        }
        if (!_done)
        {
            WriteOverall(running, byNode.Count, rollback);
            if (running == byNode.Count)
                _done = true;
        }
        return running == byNode.Count;
    }

    private void WriteOverall(long running, long total, bool rollback)
        => Write("overall progress", rollback ? $"rolling back update: {running} out of {total} tasks" : $"{running} out of {total} tasks");

    /// <summary>docker keeps the first line of a task error, at most 50 characters with an ellipsis.</summary>
    private static string TruncateError(string error)
    {
        var newline = error.IndexOf('\n');
        if (newline >= 0)
            error = error[..newline];
        return error.Length > 50 ? error[..49] + "…" : error;
    }
}
