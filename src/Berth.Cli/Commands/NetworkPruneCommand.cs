using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network prune</c>: removes unused custom networks, listing them as docker does.</summary>
public static class NetworkPruneCommand
{
    public static readonly CommandSpec Spec = new("prune", "[OPTIONS]", "Remove all unused networks",
    [
        FilterFlag.Spec("Provide filter values (e.g. \"until=<timestamp>\")", shortName: null),
        FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        if (!flags.Bool("force") && !Confirmation.Ask(context, "WARNING! This will remove all custom networks not used by at least one container."))
            return 0;
        var report = await context.Client.PruneNetworksAsync(FilterFlag.From(flags), context.Cancellation);
        var deleted = report.Strings("NetworksDeleted");
        if (deleted.Count == 0)
            return 0;
        var text = new System.Text.StringBuilder("Deleted Networks:\n");
        foreach (var name in deleted)
            text.Append(name).Append('\n');
        context.Out.Write(text.Append('\n').ToString());
        return 0;
    }
}
