using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class ImagesCommand
{
    private static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.Bool("all", 'a', "Show all images (default hides intermediate images)"),
        FlagSpec.Bool("digests", null, "Show digests"),
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only show image IDs"),
    ];

    public static readonly CommandSpec Spec = new("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", Flags, ArgRule.Between(0, 1), RunAsync);

    public static readonly CommandSpec ListSpec = new("ls", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", Flags, ArgRule.Between(0, 1), RunAsync,
        Aliases: ["images", "list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var digests = flags.Bool("digests");
        var filters = FilterFlag.From(flags);
        if (flags.Positionals.Count == 1)
            filters.Add("reference", flags.Positionals[0]);
        var formatter = new ListFormatter(flags.String("format"), digests ? ImageRows.DigestTable : ImageRows.DefaultTable, flags.Bool("quiet"));
        var images = await context.Client.ListImagesAsync(flags.Bool("all"), filters, context.Cancellation);
        var now = DateTimeOffset.UtcNow;
        var truncate = !flags.Bool("no-trunc");
        var rows = images.Where(i => i is not null).SelectMany(i => ImageRows.Rows(i!, truncate, digests || formatter.Uses("Digest"), now));
        context.Out.Write(formatter.Render(ImageRows.Header(), rows));
        return 0;
    }
}
