using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Swarm;
using Berth.Client;

namespace Berth.Cli.Stack;

/// <summary><c>stack services</c>: service ls of the stack's services; an empty stack is only a note on stderr, as in docker.</summary>
public static class StackServicesCommand
{
    public static readonly CommandSpec Spec = new("services", "[OPTIONS] STACK", "List the services in the stack",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string stack = flags.Positionals[0];
        var filters = FilterFlag.From(flags).Add("label", $"{StackSpecs.NamespaceLabel}={stack}");
        var quiet = flags.Bool("quiet");
        var services = await context.Client.ListServicesAsync(filters, !quiet, context.Cancellation);
        if (services.Count == 0 && flags.String("format") is null or "")
        {
            context.Err.Write($"Nothing found in stack: {stack}\n");
            return 0;
        }
        var formatter = new ListFormatter(flags.String("format"), ServiceRows.DefaultTable, quiet);
        var rows = services.OrderBy(s => s.Spec.Str("Name"), NaturalOrder.Instance).Select(ServiceRows.Row);
        context.Out.Write(formatter.Render(ServiceRows.Header(), rows));
        return 0;
    }
}
