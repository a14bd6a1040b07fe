using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Api.BuildContext;

/// <summary>
/// One cleaned .dockerignore pattern, compiled the way moby's pattern matcher does: filepath.Match syntax
/// ("*" and "?" stop at "/", "[...]" classes, "\" escapes) plus "**", which spans any number of directories.
/// </summary>
internal sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(string text, bool exclusion, Regex regex)
    {
        Text = text;
        IsException = exclusion;
        _regex = regex;
    }

    /// <summary>The pattern without its "!".</summary>
    public string Text { get; }

    /// <summary>A "!pattern", which brings back what earlier patterns excluded.</summary>
    public bool IsException { get; }

    public bool Matches(string path) => _regex.IsMatch(path);

    public static IgnorePattern Compile(string pattern)
    {
        string cleaned = GoPath.Clean(pattern.Trim());
        bool exception = cleaned[0] == '!';
        if (exception)
        {
            if (cleaned.Length == 1) throw new FormatException("illegal exclusion pattern: \"!\"");
            cleaned = cleaned[1..];
        }
        var regex = new Regex(ToRegex(cleaned), RegexOptions.CultureInvariant);
        return new IgnorePattern(cleaned, exception, regex);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        int i = 0;
        while (i < pattern.Length)
        {
            char ch = pattern[i++];
            switch (ch)
            {
                case '*' when i < pattern.Length && pattern[i] == '*':
                    i++;
                    // "**/" is the same as "**"; a trailing "**" takes everything, like .gitignore's.
                    if (i < pattern.Length && pattern[i] == '/') i++;
                    regex.Append(i == pattern.Length ? ".*" : "(?:.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex);
                    break;
                case '\\':
                    if (i == pattern.Length) throw BadPattern();
                    regex.Append(Regex.Escape(pattern[i++].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(ch.ToString()));
                    break;
            }
        }
        return regex.Append(@"\z").ToString();
    }

    /// <summary>
    /// A "[...]" class after its "[", checked with filepath.Match's rules (at least one range, "-" and "]" only
    /// escaped inside a range, "^" negates); returns the index after the closing "]".
    /// </summary>
    private static int AppendClass(string pattern, int i, StringBuilder regex)
    {
        regex.Append('[');
        if (i < pattern.Length && pattern[i] == '^')
        {
            regex.Append('^');
            i++;
        }
        int ranges = 0;
        while (ranges == 0 || i >= pattern.Length || pattern[i] != ']')
        {
            char low = ClassCharacter(pattern, ref i);
            char high = low;
            if (pattern[i] == '-')
            {
                i++;
                high = ClassCharacter(pattern, ref i);
                if (high < low) throw BadPattern();
            }
            regex.Append(EscapeInClass(low));
            if (high != low) regex.Append('-').Append(EscapeInClass(high));
            ranges++;
        }
        regex.Append(']');
        return i + 1;
    }

    /// <summary>One (possibly escaped) character of a class; like Go, a class that ends right after it is malformed.</summary>
    private static char ClassCharacter(string pattern, ref int i)
    {
        if (i >= pattern.Length || pattern[i] is '-' or ']') throw BadPattern();
        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length) throw BadPattern();
        }
        char ch = pattern[i++];
        if (i >= pattern.Length) throw BadPattern();
        return ch;
    }

    private static string EscapeInClass(char ch) => ch is '\\' or ']' or '[' or '^' or '-' ? "\\" + ch : ch.ToString();

    private static FormatException BadPattern() => new("syntax error in pattern");
}
