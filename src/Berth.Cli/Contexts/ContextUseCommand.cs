using Berth.Client.Contexts;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Contexts;

/// <summary><c>context use</c>: records the context in config.json's <c>currentContext</c> (docker reads the same key).</summary>
public static class ContextUseCommand
{
    public static readonly CommandSpec Spec = new("use", "CONTEXT", "Set the current docker context",
        [], ArgRule.Any, RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        // docker checks this command's arguments with cobra's own rule, so the wording differs from the others'.
        if (flags.Positionals.Count != 1)
            throw new CliException($"accepts 1 arg(s), received {flags.Positionals.Count}");
        var name = flags.Positionals[0];
        if (name != DockerContext.DefaultName)
            _ = context.Contexts.Get(name);
        var config = DockerConfigFile.Load(context.ConfigDirectory);
        config.CurrentContext = name;
        config.Save();
        context.Out.Write(name + "\n");
        context.FlushOut();
        context.Err.Write($"Current context is now \"{name}\"\n");
        if (name != DockerContext.DefaultName && ContextResolver.OverridingHostVariable(context.Environment) is { } variable)
            context.Err.Write($"Warning: {variable} environment variable overrides the active context. To use \"{name}\", either set the global --context flag, or unset {variable} environment variable.\n");
        return Task.FromResult(0);
    }
}
