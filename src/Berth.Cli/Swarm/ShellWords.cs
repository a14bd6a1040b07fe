namespace Berth.Cli.Swarm;

/// <summary>
/// Splits a string into words as a POSIX shell would (quotes and backslashes; no expansion), like docker's --entrypoint
/// and --args. Compose's splitter does exactly this; only the error is the docker CLI's (shlex's) wording.
/// </summary>
public static class ShellWords
{
    public static List<string> Split(string text) =>
        Berth.Compose.Model.Reading.ShellWords.TrySplit(text, out var words, out _)
            ? [.. words]
            : throw new CliException("EOF found when expecting closing quote");
}
