using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth attach</c>: the running container's stdio on this terminal until it exits or the detach keys are typed.</summary>
public static class AttachCommand
{
    public static readonly CommandSpec Spec = new("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container",
    [
        FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
        FlagSpec.Bool("no-stdin", null, "Do not attach STDIN"),
        FlagSpec.Bool("sig-proxy", null, "Proxy all received signals to the process (default true)"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var container = await context.Client.InspectContainerAsync(flags.Positionals[0], false, context.Cancellation);
        var state = container["State"];
        var id = container["Id"]?.GetValue<string>() ?? flags.Positionals[0];
        if (state?["Running"]?.GetValue<bool>() != true)
            throw new CliException("You cannot attach to a stopped container, start it first");
        if (state?["Paused"]?.GetValue<bool>() == true)
            throw new CliException("You cannot attach to a paused container, unpause it first");
        var config = container["Config"];
        var tty = config?["Tty"]?.GetValue<bool>() ?? false;
        var openStdin = config?["OpenStdin"]?.GetValue<bool>() ?? false;
        var sigProxy = flags.Bool("sig-proxy", defaultValue: true);
        var session = new AttachSession(context, id, tty, openStdin && !flags.Bool("no-stdin"), stdout: true, stderr: true,
            flags.String("detach-keys"), sigProxy && !tty);
        return await session.RunAsync(start: () => Task.CompletedTask, waitCondition: null, autoRemove: false);
    }
}
