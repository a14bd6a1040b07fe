using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class TagCommand
{
    public static readonly CommandSpec Spec = new("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        [], ArgRule.Exactly(2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var (repository, tag) = SplitTag(flags.Positionals[1]);
        await context.Client.TagImageAsync(flags.Positionals[0], repository, tag, context.Cancellation);
        return 0;
    }

    /// <summary>"repo:tag" → (repo, tag); a ':' before the last '/' is a registry port, not a tag.</summary>
    public static (string Repository, string Tag) SplitTag(string reference)
    {
        if (reference.Contains('@'))
            throw new CliException($"refusing to create a tag with a digest reference");
        var colon = reference.LastIndexOf(':');
        if (colon > reference.LastIndexOf('/'))
            return (reference[..colon], reference[(colon + 1)..]);
        return (reference, "latest");
    }
}
