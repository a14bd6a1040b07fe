using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>service rm</c>: each name on success, the daemon's error per failure.</summary>
public static class ServiceRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "SERVICE [SERVICE...]", "Remove one or more services", [],
        ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        Batch.RunAsync(context, flags.Positionals, name => context.Client.RemoveServiceAsync(name, context.Cancellation));
}
