using Berth.Cli.Commands;
using Berth.Cli.Parsing;
using Berth.Cli.Swarm;

namespace Berth.Cli.Stack;

/// <summary><c>stack ps</c>: the stack's tasks in docker's task table; a stack without tasks is an error, as in docker.</summary>
public static class StackPsCommand
{
    public static readonly CommandSpec Spec = new("ps", "[OPTIONS] STACK", "List the tasks in the stack",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("no-resolve", null, "Do not map IDs to Names"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display task IDs"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string stack = flags.Positionals[0];
        var filters = FilterFlag.From(flags).Add("label", $"{StackSpecs.NamespaceLabel}={stack}");
        var tasks = await context.Client.ListTasksAsync(filters, context.Cancellation);
        if (tasks.Count == 0) throw new CliException($"nothing found in stack: {stack}");
        var quiet = flags.Bool("quiet");
        await TaskTable.WriteAsync(context, tasks, flags.String("format"), quiet, !flags.Bool("no-trunc") && !quiet, flags.Bool("no-resolve"));
        return 0;
    }
}
