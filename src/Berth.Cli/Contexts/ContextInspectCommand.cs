using System.Text;
using Berth.Client.Contexts;
using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary><c>context inspect</c>: the named contexts (the current one without names) as docker prints them.</summary>
public static class ContextInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] [CONTEXT] [CONTEXT...]", "Display detailed information on one or more contexts",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
    ], ArgRule.Any, RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var format = flags.String("format");
        IOutputTemplate? template = format is null or "" or "json" ? null : OutputTemplates.ParseForInspect(format);
        IReadOnlyList<string> names = flags.Positionals.Count > 0 ? flags.Positionals : [context.CurrentContextName];
        var elements = new List<byte[]>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                var described = name == DockerContext.DefaultName ? ContextDescriptions.Default(context) : context.Contexts.Get(name);
                elements.Add(Encoding.UTF8.GetBytes(GoJson.Serialize(ContextDescriptions.Inspect(context, described))));
            }
            catch (ContextStoreException e) when (e.IsNotFound)
            {
                errors.Add(e.Message);
            }
        }
        return Task.FromResult(InspectCommand.WriteResults(context, elements, template, errors));
    }
}
