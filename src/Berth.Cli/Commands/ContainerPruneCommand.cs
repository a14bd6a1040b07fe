using Berth.Client;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class ContainerPruneCommand
{
    public static readonly CommandSpec Spec = new("prune", "[OPTIONS]", "Remove all stopped containers",
    [
        FilterFlag.Spec("Provide filter values (e.g. \"until=<timestamp>\")", shortName: null),
        FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        if (!flags.Bool("force") && !Confirmation.Ask(context, "WARNING! This will remove all stopped containers."))
            return 0;
        var report = await context.Client.PruneContainersAsync(FilterFlag.From(flags), context.Cancellation);
        var deleted = report.Strings("ContainersDeleted");
        var text = new System.Text.StringBuilder();
        if (deleted.Count > 0)
        {
            text.Append("Deleted Containers:\n");
            foreach (var id in deleted)
                text.Append(id).Append('\n');
            text.Append('\n');
        }
        text.Append("Total reclaimed space: ").Append(HumanUnits.HumanSize(report.Long("SpaceReclaimed"))).Append('\n');
        context.Out.Write(text.ToString());
        return 0;
    }
}
