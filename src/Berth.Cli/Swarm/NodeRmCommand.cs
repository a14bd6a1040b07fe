using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>node rm [-f] NODE...</c>.</summary>
public static class NodeRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "[OPTIONS] NODE [NODE...]", "Remove one or more nodes from the swarm",
    [
        FlagSpec.Bool("force", 'f', "Force remove a node from the swarm"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        Batch.RunAsync(context, flags.Positionals, name => context.Client.RemoveNodeAsync(name, flags.Bool("force"), context.Cancellation));
}
