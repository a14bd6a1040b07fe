using System.Text;
using Berth.Api;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>secret inspect</c> and <c>config inspect</c>: JSON, -f, or --pretty (a config's data printed as text).</summary>
public static class SecretInspectCommand
{
    public static readonly CommandSpec SecretSpec = new("inspect", "[OPTIONS] SECRET [SECRET...]", "Display detailed information on one or more secrets",
        [SwarmInspect.FormatFlag, SwarmInspect.PrettyFlag], ArgRule.AtLeast(1), (c, f) => RunAsync(c, f, SecretKind.Secret));

    public static readonly CommandSpec ConfigSpec = new("inspect", "[OPTIONS] CONFIG [CONFIG...]", "Display detailed information on one or more configs",
        [SwarmInspect.FormatFlag, SwarmInspect.PrettyFlag], ArgRule.AtLeast(1), (c, f) => RunAsync(c, f, SecretKind.Config));

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags, SecretKind kind) =>
        SwarmInspect.RunAsync(context, flags, kind.Name, (name, ct) => context.Client.InspectSecretRawAsync(kind.Resource, name, ct),
            json => kind.HasDriver ? SecretPretty(json) : ConfigPretty(json), daemonWordsMissing: true);

    private static string SecretPretty(byte[] json)
    {
        var item = System.Text.Json.JsonSerializer.Deserialize(json, ApiJsonContext.Default.SwarmSecret) ?? new SwarmSecret();
        var text = new StringBuilder();
        text.Append($"ID:              {item.ID}\n");
        text.Append($"Name:              {item.Spec.Str("Name")}\n");
        Labels(text, item);
        text.Append($"Driver:            {item.Spec.Obj("Driver").Str("Name")}\n");
        text.Append($"Created at:        {NodePretty.GoDate(item.CreatedAt)}\n");
        text.Append($"Updated at:        {NodePretty.GoDate(item.UpdatedAt)}");
        return text.ToString();
    }

    private static string ConfigPretty(byte[] json)
    {
        var item = System.Text.Json.JsonSerializer.Deserialize(json, ApiJsonContext.Default.SwarmSecret) ?? new SwarmSecret();
        var text = new StringBuilder();
        text.Append($"ID:\t\t\t{item.ID}\n");
        text.Append($"Name:\t\t\t{item.Spec.Str("Name")}\n");
        Labels(text, item);
        text.Append($"Created at:            \t{NodePretty.GoDate(item.CreatedAt)}\n");
        text.Append($"Updated at:            \t{NodePretty.GoDate(item.UpdatedAt)}\n");
        text.Append("Data:\n");
        var data = item.Spec.Str("Data");
        text.Append(data.Length == 0 ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(data)));
        return text.ToString();
    }

    private static void Labels(StringBuilder text, SwarmSecret item)
    {
        var labels = SpecJson.ToDictionary(item.Spec.Obj("Labels"));
        if (labels.Count == 0)
            return;
        text.Append("Labels:\n");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            text.Append($" - {key}{(value.Length > 0 ? "=" + value : "")}\n");
    }
}
