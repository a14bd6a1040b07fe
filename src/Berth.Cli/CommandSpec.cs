using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>How many positional arguments a command takes, with docker's messages when the count is wrong.</summary>
public sealed record ArgRule(int Min, int Max)
{
    public static ArgRule None { get; } = new(0, 0);
    public static ArgRule Any { get; } = new(0, int.MaxValue);
    public static ArgRule Exactly(int n) => new(n, n);
    public static ArgRule AtLeast(int n) => new(n, int.MaxValue);
    public static ArgRule Between(int min, int max) => new(min, max);

    /// <summary>docker's wording (and its "See"/"Run" quirk), or null when the count is fine.</summary>
    public (string Message, string Verb)? Check(string commandPath, int count)
    {
        if (count >= Min && count <= Max)
            return null;
        string Plural(int n) => n == 1 ? "argument" : "arguments";
        if (Max == int.MaxValue)
            return ($"'{commandPath}' requires at least {Min} {Plural(Min)}", "See");
        if (Min == Max)
            return Min == 0 ? ($"'{commandPath}' accepts no arguments", "See") : ($"'{commandPath}' requires {Min} {Plural(Min)}", "Run");
        if (Min == 0)
            return ($"'{commandPath}' requires at most {Max} {Plural(Max)}", "See");
        return ($"'{commandPath}' requires at least {Min} and at most {Max} {Plural(Max)}", "See");
    }
}

/// <summary>
/// One command: its name, docker's usage line and description, flags, argument rule and action.
/// <paramref name="Short"/> is the one line command lists show when <paramref name="Description"/> (the --help text) is longer.
/// </summary>
public sealed record CommandSpec(
    string Name,
    string Usage,
    string Description,
    IReadOnlyList<FlagSpec> Flags,
    ArgRule Args,
    Func<CliContext, ParsedFlags, Task<int>> Run,
    bool Interspersed = true,
    IReadOnlyList<string>? Aliases = null,
    string? Short = null)
{
    /// <summary>The line in command lists (docker's Short).</summary>
    public string Summary => Short ?? Description;
}
