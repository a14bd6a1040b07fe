using Berth.Client;
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
        PruneReport.Write(context, "Containers", report.Strings("ContainersDeleted"), report.Long("SpaceReclaimed"));
        return 0;
    }
}
