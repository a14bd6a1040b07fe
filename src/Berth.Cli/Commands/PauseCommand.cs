using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class PauseCommand
{
    public static readonly CommandSpec Spec = new("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers",
        [], ArgRule.AtLeast(1), (context, flags) =>
            Batch.RunAsync(context, flags.Positionals, name => context.Client.PauseContainerAsync(name, context.Cancellation)));

    public static readonly CommandSpec UnpauseSpec = new("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers",
        [], ArgRule.AtLeast(1), (context, flags) =>
            Batch.RunAsync(context, flags.Positionals, name => context.Client.UnpauseContainerAsync(name, context.Cancellation)));
}
