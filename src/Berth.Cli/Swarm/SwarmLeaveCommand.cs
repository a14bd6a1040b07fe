using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm leave [-f]</c>.</summary>
public static class SwarmLeaveCommand
{
    public static readonly CommandSpec Spec = new("leave", "[OPTIONS]", "Leave the swarm",
    [
        FlagSpec.Bool("force", 'f', "Force this node to leave the swarm, ignoring warnings"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        await context.Client.LeaveSwarmAsync(flags.Bool("force"), context.Cancellation);
        context.Out.Write("Node left the swarm.\n");
        return 0;
    }
}
