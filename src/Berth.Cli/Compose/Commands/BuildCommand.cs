using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose build</c>: build the images of the services that have a build section.</summary>
public static class BuildCommand
{
    public static readonly ComposeCommandSpec Spec = new("build", "[OPTIONS] [SERVICE...]", "Build or rebuild services",
    [
        FlagSpec.List("build-arg", null, "Set build-time variables for services"),
        FlagSpec.Bool("no-cache", null, "Do not use cache when building the image"),
        FlagSpec.Bool("pull", null, "Always attempt to pull a newer version of the image"),
        FlagSpec.Bool("quiet", 'q', "Don't print anything to STDOUT"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        ServiceSelection.Check(project, flags.Positionals);
        var args = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var arg in flags.List("build-arg"))
        {
            var parts = arg.Split('=', 2);
            args[parts[0]] = parts.Length == 2 ? parts[1] : session.Context.Environment(parts[0]);
        }
        var options = new BuildOptions { NoCache = flags.Bool("no-cache"), Pull = flags.Bool("pull"), BuildArgs = args, Quiet = flags.Bool("quiet") };
        await session.Runner(project).BuildAsync(flags.Positionals, options, session.Context.Cancellation);
        return 0;
    }
}
