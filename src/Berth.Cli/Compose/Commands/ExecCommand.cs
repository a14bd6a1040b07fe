using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// <c>berth compose exec</c>: <c>berth exec</c> on a service's container (the first, or <c>--index</c>), with
/// Compose's defaults: stdin attached, and a TTY when stdin is a terminal unless <c>-T</c>.
/// </summary>
public static class ExecCommand
{
    public static readonly ComposeCommandSpec Spec = new("exec", "[OPTIONS] SERVICE COMMAND [ARGS...]", "Execute a command in a running container",
    [
        FlagSpec.Bool("detach", 'd', "Detached mode: Run command in the background"),
        FlagSpec.List("env", 'e', "Set environment variables"),
        FlagSpec.Int("index", null, "Index of the container if service has multiple replicas", "1"),
        FlagSpec.Bool("interactive", 'i', "Keep STDIN open even if not attached"),
        FlagSpec.Bool("no-TTY", 'T', "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY."),
        FlagSpec.Bool("privileged", null, "Give extended privileges to the process"),
        FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
        FlagSpec.String("user", 'u', "Run the command as this user"),
        FlagSpec.String("workdir", 'w', "Path to workdir directory for this command"),
    ], ArgRule.AtLeast(2), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var context = session.Context;
        var container = await session.RunningContainerAsync(session.ExistingProject(), flags.Positionals[0], flags.Int("index") ?? 1);

        var detach = flags.Bool("detach");
        var tty = !flags.Bool("no-TTY") && !detach && (flags.Bool("tty") || NativeTerminal.IsTerminal(0));
        List<string> args = [];
        if (detach) args.Add("--detach");
        else args.Add("--interactive");
        if (tty) args.Add("--tty");
        if (flags.Bool("privileged")) args.Add("--privileged");
        foreach (var env in flags.List("env")) args.AddRange(["--env", env]);
        if (flags.String("user") is { } user) args.AddRange(["--user", user]);
        if (flags.String("workdir") is { } workdir) args.AddRange(["--workdir", workdir]);
        args.Add(container.Id);
        args.AddRange(flags.Positionals.Skip(1));
        return await session.RunBerthCommandAsync(Berth.Cli.Commands.ExecCommand.Spec, args);
    }
}
