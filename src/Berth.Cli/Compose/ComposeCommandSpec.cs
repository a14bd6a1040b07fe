using Berth.Cli.Parsing;

namespace Berth.Cli.Compose;

/// <summary>A <c>berth compose</c> command: like <see cref="CommandSpec"/>, but run with the compose session.</summary>
public sealed record ComposeCommandSpec(
    string Name,
    string Usage,
    string Description,
    IReadOnlyList<FlagSpec> Flags,
    ArgRule Args,
    Func<ComposeSession, ParsedFlags, Task<int>> Run,
    bool Interspersed = true)
{
    public CommandSpec Bind(ComposeSession session) =>
        new(Name, Usage, Description, Flags, Args, (_, flags) => Run(session, flags), Interspersed);
}
