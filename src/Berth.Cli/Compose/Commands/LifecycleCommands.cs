using Berth.Cli.Commands;
using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// The commands that move the project's existing containers from one state to another: start, stop, restart, kill,
/// pause, unpause, rm. Each acts on the services named, or on all.
/// </summary>
public static class LifecycleCommands
{
    public static readonly ComposeCommandSpec StartSpec = new("start", "[SERVICE...]", "Start services", [],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.StartAsync(services, ct)));

    public static readonly ComposeCommandSpec StopSpec = new("stop", "[OPTIONS] [SERVICE...]", "Stop services",
        [FlagSpec.Int("timeout", 't', "Specify a shutdown timeout in seconds")],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.StopAsync(services, (int?)flags.Int("timeout"), ct)));

    public static readonly ComposeCommandSpec RestartSpec = new("restart", "[OPTIONS] [SERVICE...]", "Restart service containers",
        [FlagSpec.Bool("no-deps", null, "Don't restart dependent services"), FlagSpec.Int("timeout", 't', "Specify a shutdown timeout in seconds")],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.RestartAsync(services, (int?)flags.Int("timeout"), ct)));

    public static readonly ComposeCommandSpec KillSpec = new("kill", "[OPTIONS] [SERVICE...]", "Force stop service containers",
        [FlagSpec.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file"),
         FlagSpec.String("signal", 's', "SIGNAL to send to the container", "SIGKILL")],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.KillAsync(services, flags.String("signal"), ct)));

    public static readonly ComposeCommandSpec PauseSpec = new("pause", "[SERVICE...]", "Pause services", [],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.PauseAsync(services, ct)));

    public static readonly ComposeCommandSpec UnpauseSpec = new("unpause", "[SERVICE...]", "Unpause services", [],
        ArgRule.Any, (session, flags) => OnRunner(session, flags, (runner, services, ct) => runner.UnpauseAsync(services, ct)));

    public static readonly ComposeCommandSpec RmSpec = new("rm", "[OPTIONS] [SERVICE...]", "Removes stopped service containers",
    [
        FlagSpec.Bool("force", 'f', "Don't ask to confirm removal"),
        FlagSpec.Bool("stop", 's', "Stop the containers, if required, before removing"),
        FlagSpec.Bool("volumes", 'v', "Remove any anonymous volumes attached to containers"),
    ], ArgRule.Any, RemoveAsync);

    private static async Task<int> OnRunner(ComposeSession session, ParsedFlags flags,
        Func<ProjectRunner, IReadOnlyList<string>, CancellationToken, Task> action)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        await action(session.Runner(project), flags.Positionals, session.Context.Cancellation);
        return 0;
    }

    /// <summary>rm asks first, as Compose does, unless -f; with nothing to remove it says so.</summary>
    private static async Task<int> RemoveAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var runner = session.Runner(project);
        var context = session.Context;
        var stop = flags.Bool("stop");
        var containers = (await runner.ListContainersAsync(flags.Positionals, all: true, includeOneOff: false, context.Cancellation))
            .Where(c => stop || c.State != "running").ToList();
        if (containers.Count == 0)
        {
            context.Err.Write("No stopped containers\n");
            return 0;
        }
        if (!flags.Bool("force"))
        {
            var names = string.Join(", ", containers.Select(c => c.Name));
            if (!Confirmation.Ask(context, $"Going to remove {names}"))
                return 0;
        }
        await runner.RemoveAsync(flags.Positionals, stop, flags.Bool("volumes"), context.Cancellation);
        return 0;
    }
}
