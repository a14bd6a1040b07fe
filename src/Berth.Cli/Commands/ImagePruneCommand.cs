using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class ImagePruneCommand
{
    public static readonly CommandSpec Spec = new("prune", "[OPTIONS]", "Remove unused images",
    [
        FlagSpec.Bool("all", 'a', "Remove all unused images, not just dangling ones"),
        FilterFlag.Spec("Provide filter values (e.g. \"until=<timestamp>\")", shortName: null),
        FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var all = flags.Bool("all");
        var warning = all
            ? "WARNING! This will remove all images without at least one container associated to them."
            : "WARNING! This will remove all dangling images.";
        if (!flags.Bool("force") && !Confirmation.Ask(context, warning))
            return 0;
        var filters = FilterFlag.From(flags);
        filters.Add("dangling", all ? "false" : "true");
        var report = await context.Client.PruneImagesAsync(filters, context.Cancellation);
        var lines = new List<string>();
        foreach (var item in report.Arr("ImagesDeleted") ?? [])
        {
            if (item.Str("Untagged") is { Length: > 0 } untagged) lines.Add("untagged: " + untagged);
            if (item.Str("Deleted") is { Length: > 0 } removed) lines.Add("deleted: " + removed);
        }
        PruneReport.Write(context, "Images", lines, report.Long("SpaceReclaimed"));
        return 0;
    }
}
