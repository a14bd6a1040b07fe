using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class DiffCommand
{
    public static readonly CommandSpec Spec = new("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", [], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        foreach (var change in await context.Client.ContainerChangesAsync(flags.Positionals[0], context.Cancellation))
        {
            char kind = change.Kind switch { 1 => 'A', 2 => 'D', _ => 'C' };
            context.Out.WriteLine($"{kind} {change.Path}");
        }
        return 0;
    }
}
