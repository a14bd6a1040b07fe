using Berth.Cli.Containers;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class PullCommand
{
    public static readonly CommandSpec Spec = new("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry",
    [
        FlagSpec.Bool("all-tags", 'a', "Download all tagged images in the repository"),
        FlagSpec.Bool("disable-content-trust", null, "Skip image verification (default true)"),
        FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
        FlagSpec.Bool("quiet", 'q', "Suppress verbose output"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string name = flags.Positionals[0];
        bool allTags = flags.Bool("all-tags"), quiet = flags.Bool("quiet");
        var reference = ImageReference.Parse(name);
        bool named = HasTagOrDigest(name);
        if (allTags && named) throw new CliException("tag can't be used with --all-tags/-a");
        if (!allTags && !named && !quiet) context.Out.Write("Using default tag: latest\n");
        string? tag = allTags ? null : reference.Digest ?? reference.Tag;
        string auth = await RegistryAuthHeader.ForImageAsync(context, name);
        await using var messages = await context.Client.PullImageAsync(StripTagOrDigest(name), tag, flags.String("platform"), auth, context.Cancellation);
        try
        {
            await new ProgressRenderer(context.Out, NativeTerminal.IsTerminal(1)).RenderAsync(messages, quiet, context.Cancellation);
        }
        catch (JsonMessageException e)
        {
            throw new CliException(e.Message);
        }
        string full = reference.Repository + (allTags ? "" : reference.Digest is { } digest ? "@" + digest : ":" + reference.Tag);
        // docker ends with the full name pulled (the repository after -a), quiet or not.
        context.Out.Write(full + "\n");
        return 0;
    }

    /// <summary>True when the name ends in :tag or @digest (a ':' before the last '/' is a registry port).</summary>
    public static bool HasTagOrDigest(string name) => name.Contains('@') || name.LastIndexOf(':') > name.LastIndexOf('/');

    public static string StripTagOrDigest(string name)
    {
        int at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
