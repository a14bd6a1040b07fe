using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

/// <summary>runc logs in logfmt (<c>time=… level=error msg="…"</c>); a client wants the error's text, not the log lines.</summary>
public static partial class RuncMessages
{
    [GeneratedRegex("""level=error msg="((?:[^"\\]|\\.)*)" """, RegexOptions.None)]
    private static partial Regex ErrorLine();

    /// <summary>The msg of runc's level=error lines, or the whole trimmed stderr when it has none.</summary>
    public static string ErrorOf(string stderr)
    {
        var messages = stderr.Split('\n')
            .Select(line => ErrorLine().Match(line + " "))
            .Where(match => match.Success)
            .Select(match => Regex.Unescape(match.Groups[1].Value))
            .ToList();
        return messages.Count > 0 ? string.Join("; ", messages) : stderr.Trim();
    }
}
