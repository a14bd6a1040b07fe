using System.Text;
using Berth.Cli.Compose.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Compose;

/// <summary><c>berth compose [OPTIONS] COMMAND</c>: the compose flags, then one of Docker Compose v2's commands.</summary>
public static class ComposeApp
{
    private const string Description = "Define and run multi-container applications with Docker";

    public static readonly IReadOnlyList<ComposeCommandSpec> Commands =
    [
        ContainerCommands.AttachSpec, BuildCommand.Spec, ConfigCommand.Spec, ContainerCommands.CpSpec, CreateCommand.Spec,
        DownCommand.Spec, ExecCommand.Spec, ImagesCommand.Spec, LifecycleCommands.KillSpec, LsCommand.Spec, LogsCommand.Spec,
        LifecycleCommands.PauseSpec, PortCommand.Spec, PsCommand.Spec, PullPushCommands.PullSpec, PullPushCommands.PushSpec,
        LifecycleCommands.RestartSpec, LifecycleCommands.RmSpec, RunCommand.Spec, ScaleWaitCommands.ScaleSpec,
        LifecycleCommands.StartSpec, ContainerCommands.StatsSpec, LifecycleCommands.StopSpec, TopCommand.Spec,
        LifecycleCommands.UnpauseSpec, UpCommand.Spec, VersionCommand.Spec, ScaleWaitCommands.WaitSpec,
    ];

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args)
    {
        ParsedFlags flags;
        try
        {
            flags = new FlagSet(ComposeOptions.Flags, interspersed: false).Parse(args);
        }
        catch (UsageException e)
        {
            context.Err.Write($"{e.Message}\n\nUsage:  berth compose [OPTIONS] COMMAND\n\nRun 'berth compose --help' for more information\n");
            return 125;
        }
        if (flags.Positionals.Count == 0 || flags.HelpRequested)
        {
            context.Out.Write(Help());
            return 0;
        }
        var name = flags.Positionals[0];
        var spec = Commands.FirstOrDefault(c => c.Name == name);
        if (spec is null)
        {
            context.Err.Write($"berth: unknown command: berth compose {name}\n\nUsage:  berth compose [OPTIONS] COMMAND\n\nRun 'berth compose --help' for more information\n");
            return 1;
        }
        var path = $"berth compose {spec.Name}";
        context.CommandPath = path;
        var session = new ComposeSession(context, flags);
        return await CliApp.RunCommandAsync(context, spec.Bind(session), path, flags.Positionals.Skip(1).ToList());
    }

    public static string Help()
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  berth compose [OPTIONS] COMMAND\n\n").Append(Description).Append("\n\nCommands:\n");
        foreach (var command in Commands)
            text.Append("  ").Append(command.Name.PadRight(12)).Append(command.Description).Append('\n');
        text.Append(HelpWriter.FlagsSection("Options", ComposeOptions.Flags));
        text.Append("\nRun 'berth compose COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }
}
