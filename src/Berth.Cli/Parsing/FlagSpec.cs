namespace Berth.Cli.Parsing;

/// <summary>
/// One flag of a command. <paramref name="Validate"/> may reject a value while parsing; its message is shown
/// as pflag does: <c>invalid argument "V" for "-m, --memory" flag: MESSAGE</c>.
/// </summary>
public sealed record FlagSpec(string Long, char? Short, FlagKind Kind, string Usage, string? DefaultText = null,
    Func<string, string?>? Validate = null, bool Hidden = false)
{
    /// <summary>The name as pflag quotes it in errors: <c>-m, --memory</c> or <c>--rm</c>.</summary>
    public string DisplayName => Short is { } s ? $"-{s}, --{Long}" : $"--{Long}";

    public static FlagSpec Bool(string name, char? shortName, string usage) => new(name, shortName, FlagKind.Bool, usage);
    public static FlagSpec String(string name, char? shortName, string usage, string? defaultText = null, Func<string, string?>? validate = null)
        => new(name, shortName, FlagKind.String, usage, defaultText, validate);
    public static FlagSpec List(string name, char? shortName, string usage, Func<string, string?>? validate = null)
        => new(name, shortName, FlagKind.List, usage, null, validate);
    public static FlagSpec Int(string name, char? shortName, string usage, string? defaultText = null)
        => new(name, shortName, FlagKind.Int, usage, defaultText);
    public static FlagSpec Duration(string name, string usage, string? defaultText = null)
        => new(name, null, FlagKind.Duration, usage, defaultText);
}
