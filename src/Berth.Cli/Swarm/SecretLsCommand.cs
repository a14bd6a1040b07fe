using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>secret ls</c> and <c>config ls</c>: natural name order, ages as "N units ago".</summary>
public static class SecretLsCommand
{
    public static readonly CommandSpec SecretSpec = Make(SecretKind.Secret, "List secrets");
    public static readonly CommandSpec ConfigSpec = Make(SecretKind.Config, "List configs");

    private static CommandSpec Make(SecretKind kind, string description) => new("ls", "[OPTIONS]", description,
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
    ], ArgRule.None, (c, f) => RunAsync(c, f, kind), Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags, SecretKind kind)
    {
        var items = await context.Client.ListSecretsAsync(kind.Resource, FilterFlag.From(flags), context.Cancellation);
        var table = kind.HasDriver
            ? "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}"
            : "table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}";
        var formatter = new ListFormatter(flags.String("format"), table, flags.Bool("quiet"));
        var now = DateTimeOffset.UtcNow;
        var rows = items.OrderBy(s => s.Spec.Str("Name"), NaturalOrder.Instance).Select(s => Row(s, now));
        var header = new JsonObject
        {
            ["ID"] = "ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["CreatedAt"] = "CREATED", ["UpdatedAt"] = "UPDATED", ["Labels"] = "LABELS",
        };
        context.Out.Write(formatter.Render(header, rows));
        return 0;
    }

    private static JsonObject Row(SwarmSecret item, DateTimeOffset now) => new()
    {
        ["CreatedAt"] = Ago(item.CreatedAt, now),
        ["Driver"] = item.Spec.Obj("Driver").Str("Name"),
        ["ID"] = item.ID,
        ["Labels"] = string.Join(',', SpecJson.ToDictionary(item.Spec.Obj("Labels")).Select(l => $"{l.Key}={l.Value}")),
        ["Name"] = item.Spec.Str("Name"),
        ["UpdatedAt"] = Ago(item.UpdatedAt, now),
    };

    private static string Ago(string time, DateTimeOffset now)
        => DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then) ? HumanDuration.Ago(then, now) : "";
}
