using Berth.Cli.Parsing;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose create</c>: what <c>up</c> does, without starting anything.</summary>
public static class CreateCommand
{
    public static readonly ComposeCommandSpec Spec = new("create", "[OPTIONS] [SERVICE...]", "Creates containers for a service",
        [.. UpFlags.Shared], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        ServiceSelection.Check(project, flags.Positionals);
        await session.Runner(project).UpAsync(UpFlags.Options(flags, noStart: true), session.Context.Cancellation);
        return 0;
    }
}
