using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume prune</c>: unused anonymous volumes (all unused ones with -a), listed as docker lists them.</summary>
public static class VolumePruneCommand
{
    public static readonly CommandSpec Spec = new("prune", "[OPTIONS]", "Remove unused local volumes",
    [
        FlagSpec.Bool("all", 'a', "Remove all unused volumes, not just anonymous ones"),
        FilterFlag.Spec("Provide filter values (e.g. \"label=<label>\")", shortName: null),
        FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var filters = FilterFlag.From(flags);
        bool all = flags.Bool("all");
        if (all)
        {
            if (filters.Get("all").Count > 0)
                throw new CliException("conflicting options: cannot specify both --all and --filter all=1");
            filters.Add("all", "true");
        }
        string warning = all || filters.Get("all").Count > 0
            ? "WARNING! This will remove all local volumes not used by at least one container."
            : "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (!flags.Bool("force") && !Confirmation.Ask(context, warning))
            return 0;
        var report = await context.Client.PruneVolumesAsync(filters, context.Cancellation);
        PruneReport.Write(context, "Volumes", report.Strings("VolumesDeleted"), report.Long("SpaceReclaimed"));
        return 0;
    }
}
