using Berth.Cli.Commands;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// <c>berth compose run</c>: start the service's dependencies, then a one-off container of the service with the
/// command given, attached as <c>docker run</c> attaches (or detached with -d), ending with its exit code.
/// </summary>
public static class RunCommand
{
    public static readonly ComposeCommandSpec Spec = new("run", "[OPTIONS] SERVICE [COMMAND] [ARGS...]", "Run a one-off command on a service",
    [
        FlagSpec.Bool("build", null, "Build image before starting container"),
        FlagSpec.Bool("detach", 'd', "Run container in background and print container ID"),
        FlagSpec.String("entrypoint", null, "Override the entrypoint of the image"),
        FlagSpec.List("env", 'e', "Set environment variables"),
        FlagSpec.Bool("interactive", 'i', "Keep STDIN open even if not attached"),
        FlagSpec.List("label", 'l', "Add or override a label"),
        FlagSpec.String("name", null, "Assign a name to the container"),
        FlagSpec.Bool("no-TTY", 'T', "Disable pseudo-TTY allocation (default: auto-detected)"),
        FlagSpec.Bool("no-deps", null, "Don't start linked services"),
        FlagSpec.List("publish", 'p', "Publish a container's port(s) to the host"),
        FlagSpec.String("pull", null, "Pull image before running (\"always\"|\"missing\"|\"never\")", "policy"),
        FlagSpec.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file"),
        FlagSpec.Bool("rm", null, "Automatically remove the container when it exits"),
        FlagSpec.Bool("service-ports", null, "Run command with all service's ports enabled and mapped to the host"),
        FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
        FlagSpec.Bool("use-aliases", null, "Use the service's network useAliases in the network(s) the container connects to"),
        FlagSpec.String("user", 'u', "Run as specified username or uid"),
        FlagSpec.List("volume", 'v', "Bind mount a volume"),
        FlagSpec.String("workdir", 'w', "Working directory inside the container"),
    ], ArgRule.AtLeast(1), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        var service = flags.Positionals[0];
        ServiceSelection.Check(project, [service]);
        var context = session.Context;
        var detach = flags.Bool("detach");
        var tty = !flags.Bool("no-TTY") && (flags.Bool("tty") || (NativeTerminal.IsTerminal(0) && NativeTerminal.IsTerminal(1)));
        var interactive = !detach;
        var options = new RunOptions
        {
            Command = flags.Positionals.Count > 1 ? flags.Positionals.Skip(1).ToList() : null,
            Entrypoint = flags.String("entrypoint") is { } entrypoint ? RunSyntax.Entrypoint(entrypoint) : null,
            Environment = RunSyntax.Environment(flags.List("env"), context.Environment),
            Labels = KeyValueFlags.ToDictionary(flags.List("label")),
            User = flags.String("user"),
            WorkingDir = flags.String("workdir"),
            Name = flags.String("name"),
            Publish = [.. flags.List("publish").SelectMany(CommandLineSyntax.Ports)],
            ServicePorts = flags.Bool("service-ports"),
            Volumes = [.. flags.List("volume").Select(v => CommandLineSyntax.Volume(v, project, context.Environment))],
            AutoRemove = flags.Bool("rm"),
            Tty = tty,
            Interactive = interactive,
            NoDeps = flags.Bool("no-deps"),
            Build = flags.Bool("build"),
            Pull = flags.String("pull") is { } pull && pull != "policy" ? pull : null,
            UseAliases = flags.Bool("use-aliases"),
            RemoveOrphans = flags.Bool("remove-orphans"),
        };
        var id = await session.Runner(project).CreateOneOffAsync(service, options, context.Cancellation);
        if (detach)
        {
            await context.Client.StartContainerAsync(id, null, context.Cancellation);
            context.Out.Write(id + "\n");
            return 0;
        }
        var attach = new AttachSession(context, id, tty, stdin: interactive, stdout: true, stderr: true, detachKeys: null, sigProxy: true);
        return await attach.RunAsync(() => context.Client.StartContainerAsync(id, null, context.Cancellation), null, options.AutoRemove);
    }
}
