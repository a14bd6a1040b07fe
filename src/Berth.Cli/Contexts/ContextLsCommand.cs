using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Contexts;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary>
/// <c>context ls</c>: the default context and the stored ones by name, the current one starred; a current context
/// that is not in the store gets a row with its error, as docker shows it.
/// </summary>
public static class ContextLsCommand
{
    private const string DefaultTable = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}";

    /// <summary>docker cuts the error column to this many characters, in every format.</summary>
    private const int ErrorWidth = 45;

    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List contexts",
    [
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("quiet", 'q', "Only show context names"),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var current = context.CurrentContextName;
        var rows = new List<JsonObject>();
        var defaultContext = ContextDescriptions.Default(context);
        rows.Add(Row(defaultContext.Name, DockerContext.DefaultDescription, defaultContext.Host, current, ""));
        foreach (var stored in context.Contexts.List())
            rows.Add(Row(stored.Name, stored.Description, stored.Host, current, ""));
        if (!rows.Any(r => r.Str("Name") == current))
        {
            string error;
            try
            {
                _ = context.Contexts.Get(current);
                error = "";
            }
            catch (Client.Contexts.ContextStoreException e)
            {
                error = e.Message;
            }
            rows.Add(Row(current, "", "", current, IdFormat.Ellipsis(error, ErrorWidth)));
        }
        rows.Sort((a, b) => string.CompareOrdinal(a.Str("Name"), b.Str("Name")));

        if (current == DockerContext.DefaultName && string.IsNullOrEmpty(context.ContextFlag)
            && context.HostFlags.Count == 0 && ContextResolver.OverridingHostVariable(context.Environment) is { } variable)
            context.Err.Write($"Warning: {variable} environment variable overrides the active context. To use a context, either set the global --context flag, or unset {variable} environment variable.\n");

        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"), "{{.Name}}");
        context.Out.Write(formatter.Render(GoTemplateAdapter.MarkHeader(Header()), rows));
        return Task.FromResult(0);
    }

    private static JsonObject Header() => new()
    {
        ["Name"] = "NAME",
        ["Description"] = "DESCRIPTION",
        ["DockerEndpoint"] = "DOCKER ENDPOINT",
        ["Error"] = "ERROR",
    };

    /// <summary>Keys in docker's JSON order (alphabetical), so <c>--format json</c> prints the same line.</summary>
    private static JsonObject Row(string name, string description, string endpoint, string current, string error) => new()
    {
        ["Current"] = name == current,
        ["Description"] = description,
        ["DockerEndpoint"] = endpoint,
        ["Error"] = error,
        ["Name"] = name,
    };
}
