using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class PsCommand
{
    public static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.Bool("all", 'a', "Show all containers (default shows just running)"),
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Int("last", 'n', "Show n last created containers (includes all states)", "-1"),
        FlagSpec.Bool("latest", 'l', "Show the latest created container (includes all states)"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display container IDs"),
        FlagSpec.Bool("size", 's', "Display total file sizes"),
    ];

    public static readonly CommandSpec Spec = new("ps", "[OPTIONS]", "List containers", Flags, ArgRule.None, RunAsync);

    public static readonly CommandSpec ListSpec = Spec with { Name = "ls", Aliases = ["ps", "list"] };

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var quiet = flags.Bool("quiet");
        var size = flags.Bool("size");
        var format = flags.String("format");
        var table = format is null or "" or "table";
        var formatter = new ListFormatter(format, ContainerRows.DefaultTable + (size && table ? "\t{{.Size}}" : ""), quiet);
        var wantSize = !quiet && (size || formatter.Uses("Size") || format == "json" || formatter.TemplateText.Contains("json .", StringComparison.Ordinal));
        var limit = (int)(flags.Int("last") ?? -1);
        if (flags.Bool("latest"))
            limit = 1;
        var all = flags.Bool("all") || limit > 0;
        var containers = await context.Client.ListContainersAsync(all, limit, wantSize, FilterFlag.From(flags), context.Cancellation);
        var now = DateTimeOffset.UtcNow;
        var truncate = !flags.Bool("no-trunc");
        var rows = containers.Where(c => c is not null).Select(c => ContainerRows.Row(c!, truncate, now));
        context.Out.Write(formatter.Render(ContainerRows.Header(), rows));
        return 0;
    }
}
