using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network inspect</c>: the daemon's JSON re-indented as docker does, or -f templates; missing ones reported after.</summary>
public static class NetworkInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("verbose", 'v', "Verbose output for diagnostics"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        InspectCommand.InspectEachAsync(context, flags, context.Client.InspectNetworkRawAsync);
}
