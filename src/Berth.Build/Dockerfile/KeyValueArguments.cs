using Berth.Oci.Errors;

namespace Berth.Build.Dockerfile;

/// <summary>
/// ENV's and LABEL's "k=v k2=\"v 2\"" (or legacy "KEY value with spaces") and ARG's "NAME[=default] …", split as
/// docker splits them and expanded with the variables from before the instruction: every name and every value sees
/// the same lookup, so "ENV a=1 b=$a" gives b the earlier value of a.
/// </summary>
public static class KeyValueArguments
{
    /// <param name="keyword">"ENV" or "LABEL", for the messages.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(
        string keyword, string arguments, Func<string, string?> lookup, char escapeToken)
    {
        string name = keyword.ToUpperInvariant();
        List<KeyValuePair<string, string>> pairs;
        try
        {
            pairs = NameValueSyntax.Split(arguments.Trim(), name, escapeToken);
        }
        catch (DockerfileSyntaxException e)
        {
            throw BerthException.Invalid(e.Message);
        }
        if (pairs.Count == 0) throw BerthException.Invalid($"{name} requires at least one argument");
        if (pairs.Any(p => p.Key.Length == 0)) throw BerthException.Invalid($"{name} names can not be blank");
        return pairs
            .Select(p => new KeyValuePair<string, string>(
                ShellWords.Expand(p.Key, lookup, escapeToken), ShellWords.Expand(p.Value, lookup, escapeToken)))
            .ToList();
    }

    /// <summary>
    /// An ARG's names, each with its default or null: docker 20.10 accepts several in one ARG ("ARG A=1 B C=3").
    /// Names and defaults are expanded; a default keeps its quotes' content ("ARG X=\"a b\"" gives "a b").
    /// </summary>
    public static IReadOnlyList<(string Name, string? Default)> ParseArgs(
        string arguments, Func<string, string?> lookup, char escapeToken)
    {
        var words = DockerfileWords.Split(arguments.Trim(), escapeToken);
        if (words.Count == 0) throw BerthException.Invalid("ARG requires at least one argument");
        if (words.Any(w => w.StartsWith('='))) throw BerthException.Invalid("ARG names can not be blank");
        return words.Select(word =>
        {
            int equals = word.IndexOf('=');
            return equals < 0
                ? (ShellWords.Expand(word, lookup, escapeToken), (string?)null)
                : (ShellWords.Expand(word[..equals], lookup, escapeToken), ShellWords.Expand(word[(equals + 1)..], lookup, escapeToken));
        }).ToList();
    }
}
