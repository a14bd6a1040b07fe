using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>
/// The inspect commands of the swarm objects: indented JSON or -f templates (<see cref="InspectCommand.WriteResults"/>),
/// or with --pretty docker's human-readable form; names not found reported as "Error: no such KIND: NAME", or for the
/// objects whose lookup docker's CLI leaves to the daemon (secrets, configs) in the daemon's words.
/// </summary>
public static class SwarmInspect
{
    public static FlagSpec FormatFlag { get; } = FlagSpec.String("format", 'f',
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public static FlagSpec PrettyFlag { get; } = FlagSpec.Bool("pretty", null, "Print the information in a human friendly format");

    public static async Task<int> RunAsync(CliContext context, ParsedFlags flags, string kind,
        Func<string, CancellationToken, Task<byte[]>> fetch, Func<byte[], string>? pretty, bool daemonWordsMissing = false)
    {
        var format = flags.String("format");
        var usePretty = pretty is not null && (flags.Bool("pretty") || format == "pretty");
        if (usePretty && format is { Length: > 0 } && format != "pretty")
            throw new CliException("--format is incompatible with human friendly format");
        IOutputTemplate? template = usePretty || format is null or "" or "json" ? null : OutputTemplates.ParseForInspect(format);
        var (elements, errors) = await InspectCommand.FetchEachAsync(context, flags.Positionals, fetch,
            (name, e) => daemonWordsMissing ? $"Error response from daemon: {e.Message}" : $"Error: no such {kind}: {name}");
        if (!usePretty)
            return InspectCommand.WriteResults(context, elements, template, errors);
        // As docker: each object's text, one newline between them and one after the last.
        if (elements.Count > 0)
            context.Out.Write(string.Join('\n', elements.Select(pretty!)) + "\n");
        if (errors.Count == 0)
            return 0;
        context.FlushOut();
        foreach (var error in errors)
            context.Err.Write(error + "\n");
        return 1;
    }
}
