using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Swarm;
using Berth.Client;

namespace Berth.Cli.Stack;

/// <summary><c>stack ls</c>: the stacks the services' namespace labels name, with their service counts.</summary>
public static class StackLsCommand
{
    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List stacks",
    [
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var services = await context.Client.ListServicesAsync(new Berth.Client.Http.Filters().Add("label", StackSpecs.NamespaceLabel), false, context.Cancellation);
        var rows = services
            .GroupBy(s => s.Spec.Obj("Labels").Str(StackSpecs.NamespaceLabel))
            .Where(g => g.Key.Length > 0)
            .OrderBy(g => g.Key, NaturalOrder.Instance)
            .Select(g => new JsonObject { ["Name"] = g.Key, ["Services"] = g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var formatter = new ListFormatter(flags.String("format"), "table {{.Name}}\t{{.Services}}", false);
        context.Out.Write(formatter.Render(new JsonObject { ["Name"] = "NAME", ["Services"] = "SERVICES" }, rows));
        return 0;
    }
}
