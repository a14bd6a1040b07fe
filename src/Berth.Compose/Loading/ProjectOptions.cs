namespace Berth.Compose.Loading;

/// <summary>What the command line and the shell tell the loader: the global options of <c>berth compose</c>.</summary>
public sealed record ProjectOptions
{
    /// <summary>-f, in order; "-" means the compose text given in <see cref="StdinText"/>.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];
    public string? StdinText { get; init; }
    /// <summary>-p</summary>
    public string? ProjectName { get; init; }
    /// <summary>--project-directory</summary>
    public string? ProjectDirectory { get; init; }
    /// <summary>--env-file, relative to the current directory; they replace the project's .env.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];
    /// <summary>--profile</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];
    /// <summary>The shell's environment: a variable's value, or null when it is not set.</summary>
    public required Func<string, string?> Environment { get; init; }
    public required string CurrentDirectory { get; init; }
}
