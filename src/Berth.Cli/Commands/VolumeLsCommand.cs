using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume ls</c>: docker's <c>DRIVER    VOLUME NAME</c> table sorted by name, -q, --filter, --format.</summary>
public static class VolumeLsCommand
{
    private const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List volumes",
    [
        FilterFlag.Spec("Provide filter values (e.g. \"dangling=true\")"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("quiet", 'q', "Only display volume names"),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var volumes = await context.Client.ListVolumesAsync(FilterFlag.From(flags), context.Cancellation);
        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"), "{{.Name}}");
        var rows = volumes.Where(v => v is not null)
            .OrderBy(v => v.Str("Name"), StringComparer.Ordinal)
            .Select(v => Row(v!));
        context.Out.Write(formatter.Render(GoTemplateAdapter.MarkHeader(Header()), rows));
        return 0;
    }

    private static JsonObject Header() => new()
    {
        ["Name"] = "VOLUME NAME",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS",
        ["Links"] = "LINKS",
        ["Size"] = "SIZE",
        ["Availability"] = "AVAILABILITY",
        ["Group"] = "GROUP",
    };

    private static JsonObject Row(JsonNode volume)
    {
        var labels = volume.Obj("Labels");
        var row = new JsonObject
        {
            ["Name"] = volume.Str("Name"),
            ["Driver"] = volume.Str("Driver"),
            ["Scope"] = volume.Str("Scope"),
            ["Mountpoint"] = volume.Str("Mountpoint"),
            ["Labels"] = string.Join(',', (labels ?? []).Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}")),
            // Only /system/df fills UsageData; docker prints N/A without it.
            ["Links"] = "N/A",
            ["Size"] = "N/A",
            ["Availability"] = "N/A",
            ["Group"] = "N/A",
        };
        GoTemplateAdapter.AttachLabels(row, labels);
        return row;
    }
}
