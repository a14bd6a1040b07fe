using System.Globalization;
using System.Text;
using Berth.Api;
using Berth.Cli.Output;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>docker's <c>node inspect --pretty</c> text.</summary>
public static class NodePretty
{
    public static string Render(byte[] json)
    {
        var node = System.Text.Json.JsonSerializer.Deserialize(json, ApiJsonContext.Default.SwarmNode) ?? new SwarmNode();
        var text = new StringBuilder();
        text.Append($"ID:\t\t\t{node.ID}\n");
        if (node.Spec.Str("Name") is { Length: > 0 } name)
            text.Append($"Name:\t\t\t{name}\n");
        if (node.Spec.Obj("Labels") is { Count: > 0 } labels)
        {
            text.Append("Labels:\n");
            foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
                text.Append($" - {key}={value?.GetValue<string>()}\n");
        }
        text.Append($"Hostname:              \t{node.Description.Hostname}\n");
        text.Append($"Joined at:             \t{GoDate(node.CreatedAt)}\n");
        text.Append("Status:\n");
        text.Append($" State:\t\t\t{TaskRows.Pretty(node.Status.State)}\n");
        if (node.Status.Message is { Length: > 0 } message)
            text.Append($" Message:              \t{message}\n");
        text.Append($" Availability:         \t{TaskRows.Pretty(node.Spec.Str("Availability"))}\n");
        if (node.Status.Addr.Length > 0)
            text.Append($" Address:\t\t{node.Status.Addr}\n");
        if (node.ManagerStatus is { } manager)
        {
            text.Append("Manager Status:\n");
            text.Append($" Address:\t\t{manager.Addr}\n");
            text.Append($" Raft Status:\t\t{TaskRows.Pretty(manager.Reachability)}\n");
            text.Append($" Leader:\t\t{(manager.Leader ? "Yes" : "No")}\n");
        }
        text.Append("Platform:\n");
        text.Append($" Operating System:\t{node.Description.Platform.OS}\n");
        text.Append($" Architecture:\t\t{node.Description.Platform.Architecture}\n");
        text.Append("Resources:\n");
        text.Append($" CPUs:\t\t\t{node.Description.Resources.NanoCPUs / 1_000_000_000}\n");
        text.Append($" Memory:\t\t{HumanUnits.BytesSize(node.Description.Resources.MemoryBytes)}\n");
        var plugins = node.Description.Engine.Plugins.GroupBy(p => p.Type).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (plugins.Count > 0)
        {
            text.Append("Plugins:\n");
            foreach (var group in plugins)
                text.Append($" {group.Key}:\t\t{string.Join(", ", group.Select(p => p.Name).Order(StringComparer.Ordinal))}\n");
        }
        text.Append($"Engine Version:\t\t{node.Description.Engine.EngineVersion}\n");
        if (node.Description.Engine.Labels is { Count: > 0 } engineLabels)
        {
            text.Append("Engine Labels:\n");
            foreach (var (key, value) in engineLabels.OrderBy(l => l.Key, StringComparer.Ordinal))
                text.Append($" - {key}={value}\n");
        }
        text.Append("TLS Info:\n");
        text.Append($" TrustRoot:\n{node.Description.TLSInfo.TrustRoot}\n");
        text.Append($" Issuer Subject:\t{node.Description.TLSInfo.CertIssuerSubject}\n");
        text.Append($" Issuer Public Key:\t{node.Description.TLSInfo.CertIssuerPublicKey}");
        return text.ToString();
    }

    /// <summary>Go's default time format with a lower-cased zone, as docker's pretty templates print dates.</summary>
    public static string GoDate(string time)
    {
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return time;
        var utc = parsed.UtcDateTime;
        var fraction = time.Contains('.') ? time[(time.IndexOf('.') + 1)..].TrimEnd('Z').Split('+', '-')[0].TrimEnd('0') : "";
        return utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + " +0000 utc";
    }
}
