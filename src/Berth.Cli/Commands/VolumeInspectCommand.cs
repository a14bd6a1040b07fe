using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume inspect</c>: the daemon's JSON re-indented as docker does, or -f templates; missing ones reported after.</summary>
public static class VolumeInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
    ], ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var format = flags.String("format");
        IOutputTemplate? template = format is null or "" or "json" ? null : OutputTemplates.ParseForInspect(format);
        var elements = new List<byte[]>();
        var errors = new List<string>();
        foreach (var name in flags.Positionals)
        {
            try
            {
                elements.Add(await context.Client.InspectVolumeRawAsync(name, context.Cancellation));
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
                errors.Add($"Error response from daemon: {e.Message}");
            }
        }
        return InspectCommand.WriteResults(context, elements, template, errors);
    }
}
