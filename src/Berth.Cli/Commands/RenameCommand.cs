using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class RenameCommand
{
    public static readonly CommandSpec Spec = new("rename", "CONTAINER NEW_NAME", "Rename a container", [], ArgRule.Exactly(2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var oldName = flags.Positionals[0].Trim();
        var newName = flags.Positionals[1].Trim();
        if (oldName.Length == 0 || newName.Length == 0)
            throw new CliException("Error: neither old or new names may be empty");
        try
        {
            await context.Client.RenameContainerAsync(oldName, newName, context.Cancellation);
        }
        catch (EngineApiException e)
        {
            throw new CliException($"Error response from daemon: {e.Message}\nError: failed to rename container named {oldName}");
        }
        return 0;
    }
}
