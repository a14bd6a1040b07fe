using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class RmiCommand
{
    private static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.Bool("force", 'f', "Force removal of the image"),
        FlagSpec.Bool("no-prune", null, "Do not delete untagged parents"),
        FlagSpec.List("platform", null, "Remove only the given platform variant"),
    ];

    public static readonly CommandSpec Spec = new("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", Flags, ArgRule.AtLeast(1), RunAsync);

    public static readonly CommandSpec ImageSpec = new("rm", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", Flags, ArgRule.AtLeast(1), RunAsync,
        Aliases: ["rmi", "remove"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var failed = false;
        foreach (var name in flags.Positionals)
        {
            try
            {
                var deleted = await context.Client.RemoveImageAsync(name, flags.Bool("force"), flags.Bool("no-prune"), context.Cancellation);
                foreach (var item in deleted)
                {
                    if (item.Str("Untagged") is { Length: > 0 } untagged)
                        context.Out.Write($"Untagged: {untagged}\n");
                    if (item.Str("Deleted") is { Length: > 0 } removed)
                        context.Out.Write($"Deleted: {removed}\n");
                }
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
