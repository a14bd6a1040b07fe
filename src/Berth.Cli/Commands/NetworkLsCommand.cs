using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network ls</c>: docker's table sorted by name, -q, --no-trunc, --format.</summary>
public static class NetworkLsCommand
{
    private const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List networks",
    [
        FilterFlag.Spec("Provide filter values (e.g. \"driver=bridge\")"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate the output"),
        FlagSpec.Bool("quiet", 'q', "Only display network IDs"),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var networks = await context.Client.ListNetworksAsync(FilterFlag.From(flags), context.Cancellation);
        var truncate = !flags.Bool("no-trunc");
        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"));
        var rows = networks.Where(n => n is not null)
            .OrderBy(n => n.Str("Name"), StringComparer.Ordinal)
            .Select(n => Row(n!, truncate));
        context.Out.Write(formatter.Render(Header(), rows));
        return 0;
    }

    private static JsonObject Header() => new()
    {
        ["ID"] = "NETWORK ID",
        ["Name"] = "NAME",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL",
        ["Labels"] = "LABELS",
        ["CreatedAt"] = "CREATED AT",
    };

    private static JsonObject Row(JsonNode network, bool truncate)
    {
        var id = network.Str("Id");
        var labels = network.Obj("Labels") ?? [];
        var created = DateTimeOffset.TryParse(network.Str("Created"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time) ? time : DateTimeOffset.UnixEpoch;
        return new JsonObject
        {
            ["ID"] = truncate && id.Length > 12 ? id[..12] : id,
            ["Name"] = network.Str("Name"),
            ["Driver"] = network.Str("Driver"),
            ["Scope"] = network.Str("Scope"),
            ["IPv6"] = network.Bool("EnableIPv6") ? "true" : "false",
            ["Internal"] = network.Bool("Internal") ? "true" : "false",
            ["Labels"] = string.Join(',', labels.Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}")),
            ["CreatedAt"] = GoTime.UnixString(created),
        };
    }
}
