using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class TopCommand
{
    public static readonly CommandSpec Spec = new("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", [], ArgRule.AtLeast(1), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string? psArgs = flags.Positionals.Count > 1 ? string.Join(' ', flags.Positionals.Skip(1)) : null;
        var (titles, processes) = await context.Client.TopAsync(flags.Positionals[0], psArgs, context.Cancellation);
        // docker's tabwriter: cells at least 20 wide, 3 spaces apart.
        var table = new TabWriter(minWidth: 20, padding: 3);
        table.Write(string.Join('\t', titles) + "\n");
        foreach (var row in processes) table.Write(string.Join('\t', row) + "\n");
        context.Out.Write(table.Flush());
        return 0;
    }
}
