using Berth.Client.Contexts;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Contexts;

/// <summary>
/// <c>context rm</c>: each name in turn, the removed ones printed and the refusals reported after. The current
/// context goes only with -f, which also unsets <c>currentContext</c>; -f does not mind a name that is not there.
/// </summary>
public static class ContextRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "CONTEXT [CONTEXT...]", "Remove one or more contexts",
    [
        FlagSpec.Bool("force", 'f', "Force the removal of a context in use"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var force = flags.Bool("force");
        var current = context.CurrentContextName;
        var errors = new List<string>();
        foreach (var name in flags.Positionals)
        {
            if (name == DockerContext.DefaultName)
            {
                errors.Add($"context \"{name}\" cannot be removed");
                continue;
            }
            if (name == current)
            {
                if (!force)
                {
                    errors.Add($"context \"{name}\" is in use, set -f flag to force remove");
                    continue;
                }
                var config = DockerConfigFile.Load(context.ConfigDirectory);
                config.CurrentContext = null;
                config.Save();
            }
            if (!force && !context.Contexts.Exists(name))
            {
                errors.Add($"context \"{name}\" does not exist");
                continue;
            }
            context.Contexts.Remove(name);
            context.Out.Write(name + "\n");
        }
        if (errors.Count == 0)
            return Task.FromResult(0);
        throw new CliException(string.Join('\n', errors));
    }
}
