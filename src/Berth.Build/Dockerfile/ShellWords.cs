using Berth.GoText;
using Berth.Oci.Errors;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Variable expansion in Dockerfile arguments, as docker's classic builder does it (see <see cref="ShellLexer"/>
/// for the syntax). The lookup gives a variable's value, or null when it is not set (which expands to nothing).
/// Errors are docker's: "failed to process \"${A:?}\": A: is not allowed to be unset".
/// </summary>
public static class ShellWords
{
    /// <summary>One word: expanded and unquoted, its whitespace kept.</summary>
    public static string Expand(string word, Func<string, string?> lookup, char escapeToken) =>
        Run(word, lookup, escapeToken).Text;

    /// <summary>A list of words: expanded, unquoted, then split at whitespace that was neither quoted nor escaped.</summary>
    public static IReadOnlyList<string> ExpandWords(string text, Func<string, string?> lookup, char escapeToken) =>
        Run(text, lookup, escapeToken).Words;

    private static (string Text, List<string> Words) Run(string source, Func<string, string?> lookup, char escapeToken)
    {
        try
        {
            return new ShellLexer(source, lookup, escapeToken).Process();
        }
        catch (ShellSyntaxException e)
        {
            throw BerthException.Invalid($"failed to process {GoQuote.Quote(source)}: {e.Message}");
        }
    }
}
