using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class WaitCommand
{
    public static readonly CommandSpec Spec = new("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes",
        [], ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var failed = false;
        foreach (var name in flags.Positionals)
        {
            try
            {
                using var wait = await context.Client.WaitContainerAsync(name, "not-running", context.Cancellation);
                var code = await wait.Result;
                context.Out.Write(code + "\n");
                context.FlushOut();
            }
            catch (EngineApiException e)
            {
                context.FlushOut();
                context.Err.Write($"Error response from daemon: {e.Message}\n");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
