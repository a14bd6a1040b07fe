using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose down</c>: stop and remove the project's containers and networks (volumes with -v).</summary>
public static class DownCommand
{
    public static readonly ComposeCommandSpec Spec = new("down", "[OPTIONS] [SERVICES]", "Stop and remove containers, networks",
    [
        FlagSpec.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file"),
        FlagSpec.String("rmi", null, "Remove images used by services. \"local\" remove only images that don't have a custom tag (\"local\"|\"all\")"),
        FlagSpec.Int("timeout", 't', "Specify a shutdown timeout in seconds"),
        FlagSpec.Bool("volumes", 'v', "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var rmi = flags.String("rmi");
        if (rmi is not null and not ("local" or "all"))
            throw new CliException($"invalid value for --rmi: {rmi}");
        var project = session.ExistingProject();
        await session.Runner(project).DownAsync(new DownOptions
        {
            RemoveVolumes = flags.Bool("volumes"),
            RemoveImages = rmi,
            RemoveOrphans = flags.Bool("remove-orphans"),
            Timeout = (int?)flags.Int("timeout"),
        }, session.Context.Cancellation);
        return 0;
    }
}
