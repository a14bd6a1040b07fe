using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class StartCommand
{
    public static readonly CommandSpec Spec = new("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers",
    [
        FlagSpec.Bool("attach", 'a', "Attach STDOUT/STDERR and forward signals"),
        FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
        FlagSpec.Bool("interactive", 'i', "Attach container's STDIN"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var attach = flags.Bool("attach");
        var interactive = flags.Bool("interactive");
        var detachKeys = flags.String("detach-keys");
        if (attach || interactive)
        {
            if (flags.Positionals.Count > 1)
                throw new CliException("you cannot start and attach multiple containers at once");
            return await AttachedStartAsync(context, flags.Positionals[0], interactive, detachKeys);
        }
        return await Batch.RunAsync(context, flags.Positionals,
            name => context.Client.StartContainerAsync(name, detachKeys, context.Cancellation),
            failed => $"Error: failed to start containers: {string.Join(", ", failed)}");
    }

    private static async Task<int> AttachedStartAsync(CliContext context, string name, bool interactive, string? detachKeys)
    {
        var container = await context.Client.InspectContainerAsync(name, false, context.Cancellation);
        var config = container["Config"];
        var tty = config?["Tty"]?.GetValue<bool>() ?? false;
        var openStdin = config?["OpenStdin"]?.GetValue<bool>() ?? false;
        var id = container["Id"]?.GetValue<string>() ?? name;
        var session = new AttachSession(context, id, tty, interactive && openStdin, stdout: true, stderr: true, detachKeys,
            sigProxy: !tty);
        try
        {
            return await session.RunAsync(start: () => context.Client.StartContainerAsync(id, detachKeys, context.Cancellation),
                waitCondition: null, autoRemove: false);
        }
        catch (AttachSession.StartFailedException e)
        {
            throw new CliException($"Error response from daemon: {e.Message}");
        }
    }
}
