using Berth.Client;
using Berth.Cli.Output;
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
        var text = new System.Text.StringBuilder();
        if (report.Arr("ImagesDeleted") is { Count: > 0 } deleted)
        {
            text.Append("Deleted Images:\n");
            foreach (var item in deleted)
            {
                if (item.Str("Untagged") is { Length: > 0 } untagged)
                    text.Append("untagged: ").Append(untagged).Append('\n');
                if (item.Str("Deleted") is { Length: > 0 } removed)
                    text.Append("deleted: ").Append(removed).Append('\n');
            }
            text.Append('\n');
        }
        text.Append("Total reclaimed space: ").Append(HumanUnits.HumanSize(report.Long("SpaceReclaimed"))).Append('\n');
        context.Out.Write(text.ToString());
        return 0;
    }
}
