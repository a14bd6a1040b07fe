using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume rm</c>: prints each name removed, the daemon's error for each that is not.</summary>
public static class VolumeRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes",
    [
        FlagSpec.Bool("force", 'f', "Force the removal of one or more volumes"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        Batch.RunAsync(context, flags.Positionals, name => context.Client.RemoveVolumeAsync(name, flags.Bool("force"), context.Cancellation));
}
