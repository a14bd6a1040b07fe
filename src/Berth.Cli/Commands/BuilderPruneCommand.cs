using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>builder prune</c>: POST /build/prune as docker 28's classic-builder CLI sends it, and its report.</summary>
public static class BuilderPruneCommand
{
    public static readonly CommandSpec Spec = new("prune", "", "Remove build cache",
    [
        FlagSpec.Bool("all", 'a', "Remove all unused build cache, not just dangling ones"),
        FilterFlag.Spec("Provide filter values (e.g. \"until=24h\")", shortName: null),
        FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
        FlagSpec.String("keep-storage", null, "Amount of disk space to keep for cache", validate: ByteSizes.ValidateRam),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var all = flags.Bool("all");
        var question = all
            ? "WARNING! This will remove all build cache. Are you sure you want to continue?"
            : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
        if (!flags.Bool("force") && !Confirmation.AskLine(context, question))
            return 0;
        var keepStorage = flags.String("keep-storage") is { } size ? ByteSizes.ParseRam(size) : 0;
        var report = await context.Client.PruneBuildCacheAsync(all, FilterFlag.From(flags), keepStorage, context.Cancellation);
        PruneReport.Write(context, "build cache objects", report.Strings("CachesDeleted"), report.Long("SpaceReclaimed"));
        return 0;
    }
}
