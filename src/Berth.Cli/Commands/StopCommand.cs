using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class StopCommand
{
    public static readonly CommandSpec Spec = new("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers",
    [
        FlagSpec.String("signal", 's', "Signal to send to the container"),
        FlagSpec.Int("timeout", 't', "Seconds to wait before killing the container"),
        new FlagSpec("time", null, FlagKind.Int, "Seconds to wait before killing the container (deprecated: use --timeout)", Hidden: true),
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var timeout = TimeoutFlag(flags);
        var signal = flags.String("signal");
        return Batch.RunAsync(context, flags.Positionals, name => context.Client.StopContainerAsync(name, timeout, signal, context.Cancellation));
    }

    /// <summary>-t/--timeout, or the deprecated --time; null lets the daemon use the container's StopTimeout.</summary>
    public static int? TimeoutFlag(ParsedFlags flags)
    {
        if (flags.Has("time") && flags.Has("timeout"))
            throw new CliException("conflicting options: cannot specify both --timeout and --time");
        return (int?)(flags.Int("timeout") ?? flags.Int("time"));
    }
}
