using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Commands;

public static class SearchCommand
{
    public static readonly CommandSpec Spec = new("search", "[OPTIONS] TERM", "Search Docker Hub for images",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Pretty-print search using a Go template"),
        FlagSpec.Int("limit", null, "Max number of search results"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string term = flags.Positionals[0];
        var filters = FilterFlag.From(flags);
        if (filters.Get("is-automated").Count > 0)
            await context.Err.WriteLineAsync("WARNING: the \"is-automated\" filter is deprecated, and searching for \"is-automated=true\" will not yield any results in future.");
        var formatter = new ListFormatter(flags.String("format"), SearchRows.DefaultTable, quiet: false);
        // The credentials of the registry the term names, as for a pull of it.
        string auth = await RegistryAuthHeader.ForImageAsync(context, term);
        var results = await context.Client.SearchImagesAsync(term, (int)(flags.Int("limit") ?? 0), filters, auth, context.Cancellation);
        context.Out.Write(Render(formatter, results.Where(r => r is not null).Select(r => r!), !flags.Bool("no-trunc")));
        return 0;
    }

    /// <summary>The table or template output of docker search for <paramref name="results"/> (the API's JSON items).</summary>
    public static string Render(ListFormatter formatter, IEnumerable<System.Text.Json.Nodes.JsonNode> results, bool truncate)
    {
        bool forJson = formatter.TemplateText.Contains("json .", StringComparison.Ordinal);
        return formatter.Render(SearchRows.Header(), results.Select(r => SearchRows.Row(r, truncate, forJson)));
    }
}
