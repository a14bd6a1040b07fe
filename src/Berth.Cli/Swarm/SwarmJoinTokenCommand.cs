using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm join-token [-q] [--rotate] worker|manager</c>.</summary>
public static class SwarmJoinTokenCommand
{
    public static readonly CommandSpec Spec = new("join-token", "[OPTIONS] (worker|manager)", "Manage join tokens",
    [
        FlagSpec.Bool("quiet", 'q', "Only display token"),
        FlagSpec.Bool("rotate", null, "Rotate join token"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var role = flags.Positionals[0];
        var worker = role == "worker";
        var manager = role == "manager";
        if (!worker && !manager)
            throw new CliException("unknown role " + role);
        var quiet = flags.Bool("quiet");
        if (flags.Bool("rotate"))
        {
            var current = await context.Client.InspectSwarmAsync(context.Cancellation);
            await context.Client.UpdateSwarmAsync(current.Version.Index, current.Spec, worker, manager, false, context.Cancellation);
            if (!quiet)
                context.Out.Write($"Successfully rotated {role} join token.\n\n");
        }
        var swarm = await context.Client.InspectSwarmAsync(context.Cancellation);
        if (quiet)
        {
            context.Out.Write((worker ? swarm.JoinTokens?.Worker : swarm.JoinTokens?.Manager) + "\n");
            return 0;
        }
        var info = await context.Client.InfoAsync(context.Cancellation);
        await SwarmSpecFlags.PrintJoinCommandAsync(context, info.Obj("Swarm").Str("NodeID"), worker, manager);
        return 0;
    }
}
