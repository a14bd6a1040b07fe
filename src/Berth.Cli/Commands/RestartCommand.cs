using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class RestartCommand
{
    public static readonly CommandSpec Spec = new("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers",
    [
        FlagSpec.String("signal", 's', "Signal to send to the container"),
        FlagSpec.Int("timeout", 't', "Seconds to wait before killing the container"),
        new FlagSpec("time", null, FlagKind.Int, "Seconds to wait before killing the container (deprecated: use --timeout)", Hidden: true),
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var timeout = StopCommand.TimeoutFlag(flags);
        var signal = flags.String("signal");
        return Batch.RunAsync(context, flags.Positionals, name => context.Client.RestartContainerAsync(name, timeout, signal, context.Cancellation));
    }
}
