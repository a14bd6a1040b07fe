using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class HistoryCommand
{
    public static readonly CommandSpec Spec = new("history", "[OPTIONS] IMAGE", "Show the history of an image",
    [
        FlagSpec.String("format", null, "Format output using a custom template"),
        new FlagSpec("human", 'H', FlagKind.Bool, "Print sizes and dates in human readable format", "true"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        FlagSpec.String("platform", null, "Show history for the given platform"),
        FlagSpec.Bool("quiet", 'q', "Only show image IDs"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var human = flags.Bool("human", true);
        var formatter = new ListFormatter(flags.String("format"), human ? HistoryRows.DefaultTable : HistoryRows.NonHumanTable, flags.Bool("quiet"));
        var history = await context.Client.ImageHistoryAsync(flags.Positionals[0], context.Cancellation);
        var now = DateTimeOffset.UtcNow;
        var truncate = !flags.Bool("no-trunc");
        var rows = history.Where(h => h is not null).Select(h => HistoryRows.Row(h!, truncate, human, now));
        context.Out.Write(formatter.Render(HistoryRows.Header(), rows));
        return 0;
    }
}
