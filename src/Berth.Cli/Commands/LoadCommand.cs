using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class LoadCommand
{
    public static readonly CommandSpec Spec = new("load", "[OPTIONS]", "Load an image from a tar archive or STDIN",
    [
        FlagSpec.String("input", 'i', "Read from tar archive file, instead of STDIN"),
        FlagSpec.List("platform", null, "Load only the given platform(s)"),
        FlagSpec.Bool("quiet", 'q', "Suppress the load output"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        Stream input;
        if (flags.String("input") is { Length: > 0 } path)
        {
            try
            {
                input = File.OpenRead(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"open {path}: no such file or directory");
            }
        }
        else
        {
            if (NativeTerminal.IsTerminal(0))
                throw new CliException("requested load from stdin, but stdin is empty");
            input = context.Stdin;
        }
        await using (input)
        {
            // docker asks for quiet output whenever stdout is not a terminal; the stream lines are printed either way.
            await using var messages = await context.Client.LoadImagesAsync(input, quiet: true, context.Cancellation);
            try
            {
                await JsonMessagePrinter.PrintAsync(messages, context.Out, flags.Bool("quiet"), context.Cancellation);
            }
            catch (JsonMessageException e)
            {
                throw new CliException(e.Message);
            }
        }
        return 0;
    }
}
