using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class RmCommand
{
    public static readonly CommandSpec Spec = new("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
    [
        FlagSpec.Bool("force", 'f', "Force the removal of a running container (uses SIGKILL)"),
        FlagSpec.Bool("link", 'l', "Remove the specified link"),
        FlagSpec.Bool("volumes", 'v', "Remove anonymous volumes associated with the container"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var force = flags.Bool("force");
        var volumes = flags.Bool("volumes");
        var link = flags.Bool("link");
        var names = flags.Positionals.Select(n => n.Trim('/')).ToList();
        foreach (var name in names)
        {
            if (name.Length == 0)
                throw new CliException("Container name cannot be empty");
        }
        return Batch.RunAsync(context, names, name => context.Client.RemoveContainerAsync(name, force, volumes, link, context.Cancellation));
    }
}
