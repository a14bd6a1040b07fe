using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>node inspect [--pretty] self|NODE...</c>.</summary>
public static class NodeInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] self|NODE [NODE...]", "Display detailed information on one or more nodes",
    [
        SwarmInspect.FormatFlag,
        SwarmInspect.PrettyFlag,
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        SwarmInspect.RunAsync(context, flags, "node", (name, ct) => NodeNames.InspectRawAsync(context, name, ct), NodePretty.Render);
}
