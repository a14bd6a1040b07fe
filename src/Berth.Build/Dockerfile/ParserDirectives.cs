using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The "# escape=`" and "# syntax=…" directives: only recognised in the comment lines at the very top of the file;
/// the first line that is anything else (an empty line, another comment, an instruction) ends them.
/// </summary>
internal sealed partial class ParserDirectives
{
    private readonly HashSet<string> _seen = [];
    private bool _done;

    public char EscapeToken { get; private set; } = '\\';

    /// <summary>Looks at a line (left-trimmed) from the top of the file; directives are comments, so the caller drops them.</summary>
    public void Consider(string line)
    {
        if (_done) return;
        var match = Directive().Match(line);
        string name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (name is not ("escape" or "syntax"))
        {
            _done = true;
            return;
        }
        if (!_seen.Add(name)) throw new DockerfileSyntaxException($"only one {name} parser directive can be used");
        if (name == "escape") EscapeToken = ParseEscape(match.Groups[2].Value);
    }

    private static char ParseEscape(string value) => value is "`" or "\\"
        ? value[0]
        : throw new DockerfileSyntaxException($"invalid escape token '{value}' does not match ` or \\");

    // Go's \s is ASCII-only and has no \v: spell the class out rather than use .NET's Unicode \s.
    [GeneratedRegex(@"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Directive();
}
