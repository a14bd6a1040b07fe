using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class ExportCommand
{
    public static readonly CommandSpec Spec = new("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
    [
        FlagSpec.String("output", 'o', "Write to a file, instead of STDOUT"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        await using var archive = await context.Client.ExportContainerAsync(flags.Positionals[0], context.Cancellation);
        await OutputFile.WriteAsync(context, flags.String("output"), archive);
        return 0;
    }
}
