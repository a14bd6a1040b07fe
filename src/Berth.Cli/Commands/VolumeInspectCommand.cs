using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume inspect</c>: the daemon's JSON re-indented as docker does, or -f templates; missing ones reported after.</summary>
public static class VolumeInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        InspectCommand.InspectEachAsync(context, flags, context.Client.InspectVolumeRawAsync);
}
