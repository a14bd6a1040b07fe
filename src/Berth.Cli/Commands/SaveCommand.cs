using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class SaveCommand
{
    private static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.String("output", 'o', "Write to a file, instead of STDOUT"),
        FlagSpec.List("platform", null, "Save only the given platform(s)"),
    ];

    public static readonly CommandSpec Spec = new("save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)",
        Flags, ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        await using var archive = await context.Client.SaveImagesAsync(flags.Positionals, context.Cancellation);
        await OutputFile.WriteAsync(context, flags.String("output"), archive);
        return 0;
    }
}
