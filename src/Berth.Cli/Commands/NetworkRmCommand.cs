using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network rm</c>: each name on success, the daemon's error per failure, then docker's "exit status 1".</summary>
public static class NetworkRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "NETWORK [NETWORK...]", "Remove one or more networks",
    [
        FlagSpec.Bool("force", 'f', "Do not error if the network does not exist"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        Batch.RunAsync(context, flags.Positionals, name => context.Client.RemoveNetworkAsync(name, context.Cancellation),
            _ => "exit status 1");
}
