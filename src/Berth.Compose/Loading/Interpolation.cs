using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// Compose's variable substitution: $VAR, ${VAR}, the default/required/alternative forms (with and without the colon
/// that also treats an empty value as unset), nesting inside the argument, and $$ for a literal dollar.
/// </summary>
public static class Interpolation
{
    /// <summary>
    /// Expands $VAR ${VAR} ${VAR:-d} ${VAR-d} ${VAR:?msg} ${VAR?msg} ${VAR:+r} ${VAR+r}, nested (${A:-${B}}), and $$ -> $.
    /// An unset variable without a default expands to the empty string.
    /// </summary>
    /// <param name="path">Where the value is (dotted key path), for the error message.</param>
    public static string Expand(string value, Func<string, string?> lookup, string path)
    {
        // Most values have no dollar at all; skip the work.
        if (!value.Contains('$'))
            return value;
        return new Expander(value, lookup, path).Expand(value);
    }

    private sealed class Expander(string original, Func<string, string?> lookup, string path)
    {
        public string Expand(string text)
        {
            var result = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c != '$' || i + 1 >= text.Length)
                {
                    result.Append(c);
                    i++;
                    continue;
                }
                var next = text[i + 1];
                if (next == '$')
                {
                    result.Append('$');
                    i += 2;
                }
                else if (next == '{')
                {
                    var close = MatchingBrace(text, i + 2);
                    result.Append(ExpandBraced(text[(i + 2)..close]));
                    i = close + 1;
                }
                else if (IsNameStart(next))
                {
                    var end = NameEnd(text, i + 1);
                    result.Append(lookup(text[(i + 1)..end]) ?? "");
                    i = end;
                }
                else
                {
                    // Compose leaves a dollar that starts nothing ("$1", "a $ b") as it is.
                    result.Append(c);
                    i++;
                }
            }
            return result.ToString();
        }

        private string ExpandBraced(string body)
        {
            if (body.Length == 0 || !IsNameStart(body[0]))
                throw Invalid();
            var nameEnd = NameEnd(body, 0);
            var name = body[..nameEnd];
            var value = lookup(name);
            if (nameEnd == body.Length)
                return value ?? "";

            // The colon forms treat an empty value like an unset one.
            var colon = body[nameEnd] == ':';
            var operatorAt = colon ? nameEnd + 1 : nameEnd;
            if (operatorAt >= body.Length)
                throw Invalid();
            var argument = body[(operatorAt + 1)..];
            var missing = colon ? string.IsNullOrEmpty(value) : value is null;
            return body[operatorAt] switch
            {
                '-' => missing ? Expand(argument) : value!,
                '+' => missing ? "" : Expand(argument),
                '?' => missing ? throw Required(name, Expand(argument)) : value!,
                _ => throw Invalid(),
            };
        }

        /// <summary>The index of the brace closing the one opened just before <paramref name="from"/>; nested braces count.</summary>
        private int MatchingBrace(string text, int from)
        {
            var depth = 1;
            for (var i = from; i < text.Length; i++)
            {
                if (text[i] == '{')
                    depth++;
                else if (text[i] == '}' && --depth == 0)
                    return i;
            }
            throw Invalid();
        }

        private ComposeException Invalid() => new(
            $"invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{original}");

        private static ComposeException Required(string name, string message) => new(message.Length == 0
            ? $"required variable {name} is missing a value"
            : $"required variable {name} is missing a value: {message}");
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static int NameEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && (text[end] == '_' || char.IsAsciiLetterOrDigit(text[end])))
            end++;
        return end;
    }
}
