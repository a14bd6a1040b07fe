using Berth.Client;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class ImportCommand
{
    public static readonly CommandSpec Spec = new("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image",
    [
        FlagSpec.List("change", 'c', "Apply Dockerfile instruction to the created image"),
        FlagSpec.String("message", 'm', "Set commit message for imported image"),
        FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
    ], ArgRule.Between(1, 2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var source = flags.Positionals[0];
        string? repository = null, tag = null;
        if (flags.Positionals.Count == 2)
            (repository, tag) = TagCommand.SplitTag(flags.Positionals[1]);
        Stream? body = null;
        var fromSrc = source;
        if (source == "-")
        {
            body = context.Stdin;
        }
        else if (!source.StartsWith("http://", StringComparison.Ordinal) && !source.StartsWith("https://", StringComparison.Ordinal))
        {
            try
            {
                body = File.OpenRead(source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"open {source}: no such file or directory");
            }
            fromSrc = "-";
        }
        var options = new ImportOptions(fromSrc, repository, tag, flags.String("message"), flags.List("change"), flags.String("platform"));
        try
        {
            await using var messages = await context.Client.ImportImageAsync(options, body, context.Cancellation);
            await JsonMessagePrinter.PrintAsync(messages, context.Out, quiet: false, context.Cancellation);
        }
        catch (JsonMessageException e)
        {
            throw new CliException(e.Message);
        }
        finally
        {
            if (body is not null && body != context.Stdin)
                await body.DisposeAsync();
        }
        return 0;
    }
}
