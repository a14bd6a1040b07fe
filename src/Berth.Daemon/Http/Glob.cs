namespace Berth.Daemon.Http;

/// <summary>Go's path.Match as Docker's filters use it: <c>*</c> within a segment, <c>?</c>, and literal characters.</summary>
public static class Glob
{
    public static bool Matches(string pattern, string text) => Match(pattern.AsSpan(), text.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (pattern.Length > 0)
        {
            char p = pattern[0];
            if (p == '*')
            {
                var rest = pattern[1..];
                for (int i = 0; i <= text.Length; i++)
                {
                    if (Match(rest, text[i..])) return true;
                    if (i < text.Length && text[i] == '/') return false;
                }
                return false;
            }
            if (text.Length == 0) return false;
            if (p != '?' && p != text[0]) return false;
            if (p == '?' && text[0] == '/') return false;
            pattern = pattern[1..];
            text = text[1..];
        }
        return text.Length == 0;
    }
}
