using Berth.Compose.Model.Reading;

namespace Berth.Cli.Compose.Commands;

/// <summary>The values of <c>compose run</c>'s flags, read as Compose reads them.</summary>
public static class RunSyntax
{
    /// <summary>--entrypoint is one string split as the file's string form is; an empty string clears it.</summary>
    public static IReadOnlyList<string> Entrypoint(string text) => text.Length == 0 ? [] : ShellWords.Split(text);

    /// <summary>-e KEY=VALUE, or -e KEY taking the value from the shell (left out when the shell has none).</summary>
    public static IReadOnlyDictionary<string, string?> Environment(IReadOnlyList<string> values, Func<string, string?> shell)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            environment[parts[0]] = parts.Length == 2 ? parts[1] : shell(parts[0]);
        }
        return environment;
    }
}
