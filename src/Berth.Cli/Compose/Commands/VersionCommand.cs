using Berth.Cli.Parsing;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose version</c>.</summary>
public static class VersionCommand
{
    public static readonly ComposeCommandSpec Spec = new("version", "[OPTIONS]", "Show the Docker Compose version information",
    [
        FlagSpec.String("format", 'f', "Format the output. Values: [pretty | json]. (Default: pretty)"),
        FlagSpec.Bool("short", null, "Shows only Compose's version number"),
    ], ArgRule.None, RunAsync);

    private static Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var output = session.Context.Out;
        if (flags.Bool("short"))
            output.Write($"{ComposeSession.Version}\n");
        else if (flags.String("format") == "json")
            output.Write($"{{\"version\":\"v{ComposeSession.Version}\"}}\n");
        else
            output.Write($"Berth Compose version v{ComposeSession.Version}\n");
        return Task.FromResult(0);
    }
}
