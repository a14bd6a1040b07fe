using Berth.Cli.Parsing;

namespace Berth.Cli.Compose;

/// <summary>The flags between <c>compose</c> and its command, as Docker Compose v2 has them.</summary>
public static class ComposeOptions
{
    public static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.String("ansi", null, "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\")", "auto"),
        FlagSpec.Bool("compatibility", null, "Run compose in backward compatibility mode"),
        FlagSpec.List("env-file", null, "Specify an alternate environment file"),
        FlagSpec.List("file", 'f', "Compose configuration files"),
        FlagSpec.Int("parallel", null, "Control max parallelism, -1 for unlimited", "-1"),
        FlagSpec.List("profile", null, "Specify a profile to enable"),
        FlagSpec.String("progress", null, "Set type of progress output (auto, tty, plain, json, quiet)", "auto"),
        FlagSpec.String("project-directory", null, "Specify an alternate working directory\n(default: the path of the, first specified, Compose file)"),
        FlagSpec.String("project-name", 'p', "Project name"),
    ];
}
