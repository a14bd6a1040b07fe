using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Output;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>
/// docker's task table (service ps, node ps): tasks named SERVICE.SLOT (or SERVICE.NODEID for global services),
/// sorted by name with the newest first, older tasks of the same slot indented with " \_ " in tables.
/// </summary>
public static class TaskRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}";
    private const int MaxErrorLength = 30;

    public static JsonObject Header() => new()
    {
        ["ID"] = "ID",
        ["Name"] = "NAME",
        ["Image"] = "IMAGE",
        ["Node"] = "NODE",
        ["DesiredState"] = "DESIRED STATE",
        ["CurrentState"] = "CURRENT STATE",
        ["Error"] = "ERROR",
        ["Ports"] = "PORTS",
    };

    /// <summary>The rows in docker's order; <paramref name="serviceName"/> and <paramref name="nodeName"/> resolve IDs (or return them).</summary>
    public static List<JsonObject> Rows(IEnumerable<SwarmTask> tasks, Func<string, string> serviceName, Func<string, string> nodeName,
        bool truncate, bool table, DateTimeOffset now)
    {
        var named = tasks.Select(t => (Task: t, Name: $"{serviceName(t.ServiceID)}.{(t.Slot != 0 ? t.Slot.ToString(CultureInfo.InvariantCulture) : t.NodeID)}"))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ThenByDescending(t => Time(t.Task.CreatedAt))
            .ToList();
        var rows = new List<JsonObject>();
        var previous = "";
        foreach (var (task, name) in named)
        {
            var shown = table && name == previous ? @" \_ " + name : name;
            previous = name;
            rows.Add(Row(task, shown, nodeName(task.NodeID ?? ""), truncate, now));
        }
        return rows;
    }

    private static JsonObject Row(SwarmTask task, string name, string node, bool truncate, DateTimeOffset now)
    {
        var image = task.Spec.Obj("ContainerSpec").Str("Image");
        var error = task.Status.Err ?? "";
        if (truncate && error.Length > MaxErrorLength)
            error = error[..(MaxErrorLength - 1)] + "…";
        if (error.Length > 0)
            error = $"\"{error}\"";
        var ports = (task.Status.PortStatus["Ports"] as JsonArray ?? [])
            .Select(p => $"*:{p.Long("PublishedPort")}->{p.Long("TargetPort")}/{p.Str("Protocol")}");
        return new JsonObject
        {
            ["CurrentState"] = $"{Pretty(task.Status.State)} {HumanDuration.Format(now - Time(task.Status.Timestamp)).ToLowerInvariant()} ago",
            ["DesiredState"] = Pretty(task.DesiredState),
            ["Error"] = error,
            ["ID"] = truncate ? ServiceRows.Short(task.ID) : task.ID,
            ["Image"] = truncate ? ServiceRows.DisplayImage(image) : image,
            ["Name"] = name,
            ["Node"] = node,
            ["Ports"] = string.Join(',', ports),
        };
    }

    /// <summary>docker's PrettyPrint: the state with its first letter upper-cased.</summary>
    public static string Pretty(string state) => state.Length == 0 ? "" : char.ToUpperInvariant(state[0]) + state[1..];

    private static DateTimeOffset Time(string text)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.UnixEpoch;
}
