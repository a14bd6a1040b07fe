using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class CommitCommand
{
    public static readonly CommandSpec Spec = new("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes",
    [
        FlagSpec.String("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
        FlagSpec.List("change", 'c', "Apply Dockerfile instruction to the created image"),
        FlagSpec.String("message", 'm', "Commit message"),
        FlagSpec.Bool("pause", 'p', "Pause container during commit"),
    ], ArgRule.Between(1, 2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string? repository = null, tag = null;
        if (flags.Positionals.Count == 2)
            (repository, tag) = TagCommand.SplitTag(flags.Positionals[1]);
        var options = new CommitOptions(repository, tag, flags.String("author"), flags.String("message"), flags.List("change"), flags.Bool("pause", defaultValue: true));
        string id = await context.Client.CommitContainerAsync(flags.Positionals[0], options, context.Cancellation);
        context.Out.WriteLine(id);
        return 0;
    }
}
