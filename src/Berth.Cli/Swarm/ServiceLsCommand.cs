using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>service ls</c>: services by natural name order with REPLICAS from ?status=true.</summary>
public static class ServiceLsCommand
{
    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List services",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var quiet = flags.Bool("quiet");
        var services = await context.Client.ListServicesAsync(FilterFlag.From(flags), !quiet, context.Cancellation);
        var formatter = new ListFormatter(flags.String("format"), ServiceRows.DefaultTable, quiet);
        var rows = services.OrderBy(s => s.Spec.Str("Name"), NaturalOrder.Instance).Select(ServiceRows.Row);
        context.Out.Write(formatter.Render(ServiceRows.Header(), rows));
        return 0;
    }
}
