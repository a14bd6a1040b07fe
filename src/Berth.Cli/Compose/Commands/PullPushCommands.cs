using Berth.Cli.Parsing;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose pull</c> and <c>push</c>: the services' images, from and to their registries.</summary>
public static class PullPushCommands
{
    public static readonly ComposeCommandSpec PullSpec = new("pull", "[OPTIONS] [SERVICE...]", "Pull service images",
    [
        FlagSpec.Bool("ignore-buildable", null, "Ignore images that can be built"),
        FlagSpec.Bool("ignore-pull-failures", null, "Pull what it can and ignores images with pull failures"),
        FlagSpec.Bool("include-deps", null, "Also pull services declared as dependencies"),
        FlagSpec.Bool("quiet", 'q', "Pull without printing progress information"),
    ], ArgRule.Any, PullAsync);

    public static readonly ComposeCommandSpec PushSpec = new("push", "[OPTIONS] [SERVICE...]", "Push service images",
    [
        FlagSpec.Bool("ignore-push-failures", null, "Push what it can and ignores images with push failures"),
        FlagSpec.Bool("include-deps", null, "Also push images of services declared as dependencies"),
        FlagSpec.Bool("quiet", 'q', "Push without printing progress information"),
    ], ArgRule.Any, PushAsync);

    private static async Task<int> PullAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        var services = ServiceSelection.Select(project, flags.Positionals, flags.Bool("include-deps")).Keys.ToList();
        await session.Runner(project).PullAsync(services, flags.Bool("ignore-pull-failures"), session.Context.Cancellation);
        return 0;
    }

    private static async Task<int> PushAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        var services = ServiceSelection.Select(project, flags.Positionals, flags.Bool("include-deps")).Keys.ToList();
        await session.Runner(project).PushAsync(services, flags.Bool("ignore-push-failures"), session.Context.Cancellation);
        return 0;
    }
}
