using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class KillCommand
{
    public static readonly CommandSpec Spec = new("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
    [
        FlagSpec.String("signal", 's', "Signal to send to the container"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var signal = flags.String("signal");
        return Batch.RunAsync(context, flags.Positionals, name => context.Client.KillContainerAsync(name, signal, context.Cancellation));
    }
}
