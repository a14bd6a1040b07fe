using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>node ps [NODE...]</c> (default self): the tasks on each node, in the task table.</summary>
public static class NodePsCommand
{
    public static readonly CommandSpec Spec = new("ps", "[OPTIONS] [NODE...]", "List tasks running on one or more nodes, defaults to current node",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Pretty-print tasks using a Go template"),
        FlagSpec.Bool("no-resolve", null, "Do not map IDs to Names"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display task IDs"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var names = flags.Positionals.Count == 0 ? ["self"] : flags.Positionals.ToList();
        var tasks = new List<Berth.Api.SwarmTask>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                var node = await context.Client.InspectNodeAsync(await NodeNames.ResolveAsync(context, name, context.Cancellation), context.Cancellation);
                var filter = FilterFlag.From(flags).Add("node", node.ID);
                tasks.AddRange(await context.Client.ListTasksAsync(filter, context.Cancellation));
            }
            catch (Berth.Client.EngineApiException e)
            {
                errors.Add($"Error response from daemon: {e.Message}");
            }
        }
        var quiet = flags.Bool("quiet");
        if (tasks.Count > 0 || errors.Count == 0)
            await TaskTable.WriteAsync(context, tasks, flags.String("format"), quiet, !flags.Bool("no-trunc") && !quiet, flags.Bool("no-resolve"));
        if (errors.Count > 0)
            throw new CliException(string.Join('\n', errors));
        return 0;
    }
}
