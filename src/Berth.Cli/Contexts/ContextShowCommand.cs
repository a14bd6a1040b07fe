using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary><c>context show</c>: the name of the context commands run in, whether or not it exists.</summary>
public static class ContextShowCommand
{
    public static readonly CommandSpec Spec = new("show", "", "Print the name of the current context",
        [], ArgRule.None, RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        context.Out.Write(context.CurrentContextName + "\n");
        return Task.FromResult(0);
    }
}
