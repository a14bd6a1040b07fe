using Berth.Cli.Containers;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class PushCommand
{
    public static readonly CommandSpec Spec = new("push", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry",
    [
        FlagSpec.Bool("all-tags", 'a', "Push all tags of an image to the repository"),
        FlagSpec.Bool("disable-content-trust", null, "Skip image signing (default true)"),
        FlagSpec.Bool("quiet", 'q', "Suppress verbose output"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string name = flags.Positionals[0];
        bool allTags = flags.Bool("all-tags"), quiet = flags.Bool("quiet");
        if (name.Contains('@')) throw new CliException("invalid reference format: a digest cannot be pushed, give a tag");
        bool tagged = PullCommand.HasTagOrDigest(name);
        if (allTags && tagged) throw new CliException("tag can't be used with --all-tags/-a");
        if (!allTags && !tagged && !quiet) context.Out.Write("Using default tag: latest\n");
        var reference = ImageReference.Parse(name);
        string auth = await RegistryAuthHeader.ForImageAsync(context, name);
        await using var messages = await context.Client.PushImageAsync(PullCommand.StripTagOrDigest(name), allTags ? null : reference.Tag, auth, context.Cancellation);
        try
        {
            await new ProgressRenderer(context.Out, NativeTerminal.IsTerminal(1)).RenderAsync(messages, quiet, context.Cancellation);
        }
        catch (JsonMessageException e)
        {
            throw new CliException(e.Message);
        }
        if (quiet) context.Out.Write(reference.Repository + (allTags ? "" : ":" + reference.Tag) + "\n");
        return 0;
    }
}
