using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// One of a task's placement constraints ("node.role==manager", "node.labels.disk!=hdd"), as swarm reads them: keys
/// are node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.* and
/// engine.labels.*; values compare whole and without regard to case; a label the node lacks compares as empty.
/// </summary>
public sealed partial record PlacementConstraint(string Key, bool Equal, string Value)
{
    /// <summary>The task template's Placement.Constraints, parsed; a malformed one is refused with swarm's words.</summary>
    public static IReadOnlyList<PlacementConstraint> Of(JsonObject taskSpec) =>
        taskSpec["Placement"]?["Constraints"] is JsonArray list
            ? [.. list.Select(item => Parse(item?.GetValue<string>() ?? ""))]
            : [];

    public static PlacementConstraint Parse(string expression)
    {
        foreach (var (op, equal) in new[] { ("==", true), ("!=", false) })
        {
            int at = expression.IndexOf(op, StringComparison.Ordinal);
            if (at < 0) continue;
            string key = expression[..at].Trim();
            string value = expression[(at + op.Length)..].Trim();
            if (!KeyPattern().IsMatch(key)) throw Invalid($"key '{key}' is invalid");
            if (!ValuePattern().IsMatch(value)) throw Invalid($"value '{value}' is invalid");
            return new PlacementConstraint(key, equal, value);
        }
        throw Invalid("constraint expected one operator from ==, !=");
    }

    public bool Matches(SwarmNode node)
    {
        string key = Key.ToLowerInvariant();
        if (key == "node.ip") return MatchesAddress(node.Status.Addr);
        string? actual = key switch
        {
            "node.id" => node.ID,
            "node.hostname" => node.Description.Hostname,
            "node.role" => node.Spec["Role"]?.GetValue<string>() ?? "",
            "node.platform.os" => node.Description.Platform.OS,
            "node.platform.arch" => node.Description.Platform.Architecture,
            _ when key.StartsWith("node.labels.", StringComparison.Ordinal) =>
                SwarmManager.LabelsOf(node.Spec).GetValueOrDefault(Key["node.labels.".Length..]) ?? "",
            _ when key.StartsWith("engine.labels.", StringComparison.Ordinal) =>
                node.Description.Engine.Labels?.GetValueOrDefault(Key["engine.labels.".Length..]) ?? "",
            _ => null,
        };
        // An unknown key matches no node (swarm's scheduler treats it so).
        if (actual is null) return false;
        return string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase) == Equal;
    }

    /// <summary>node.ip takes an address or a CIDR block.</summary>
    private bool MatchesAddress(string address)
    {
        if (!IPAddress.TryParse(address, out var ip)) return !Equal;
        bool inside = IPNetwork.TryParse(Value, out var network) ? network.Contains(ip)
            : IPAddress.TryParse(Value, out var single) && single.Equals(ip);
        return inside == Equal;
    }

    private static BerthException Invalid(string message) =>
        BerthException.Invalid($"rpc error: code = InvalidArgument desc = {message}");

    /// <summary>A key starts with a letter or underscore and goes on with letters, digits, dots, dashes and underscores.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9._-]+$")]
    private static partial Regex KeyPattern();

    /// <summary>A value is letters, digits, spaces and the punctuation of patterns; nothing that reads as an operator (&lt;, &gt;, ~, =, !).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\s_.:/|$^*?+()\[\]\\-]+$")]
    private static partial Regex ValuePattern();
}
