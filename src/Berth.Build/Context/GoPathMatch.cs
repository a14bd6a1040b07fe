namespace Berth.Build.Context;

/// <summary>
/// Go's filepath.Match, which a COPY source pattern follows: <c>*</c> and <c>?</c> never cross a "/", <c>[a-z]</c> and
/// <c>[^a-z]</c> classes, and a backslash escaping the next character.
/// </summary>
public static class GoPathMatch
{
    public static bool Matches(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    var rest = pattern[1..];
                    for (int i = 0; i <= name.Length; i++)
                    {
                        if (Match(rest, name[i..])) return true;
                        if (i < name.Length && name[i] == '/') return false;
                    }
                    return false;
                case '?':
                    if (name.Length == 0 || name[0] == '/') return false;
                    break;
                case '[':
                    if (name.Length == 0 || name[0] == '/') return false;
                    int end = ClassEnd(pattern);
                    if (end < 0 || !InClass(pattern[1..end], name[0])) return false;
                    pattern = pattern[(end + 1)..];
                    name = name[1..];
                    continue;
                case '\\' when pattern.Length > 1:
                    if (name.Length == 0 || name[0] != pattern[1]) return false;
                    pattern = pattern[2..];
                    name = name[1..];
                    continue;
                default:
                    if (name.Length == 0 || name[0] != pattern[0]) return false;
                    break;
            }
            pattern = pattern[1..];
            name = name[1..];
        }
        return name.Length == 0;
    }

    private static int ClassEnd(ReadOnlySpan<char> pattern)
    {
        int i = 1;
        if (i < pattern.Length && pattern[i] == '^') i++;
        if (i < pattern.Length && pattern[i] == ']') i++;
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] == ']') return i;
        }
        return -1;
    }

    private static bool InClass(ReadOnlySpan<char> body, char c)
    {
        bool negated = body.Length > 0 && body[0] == '^';
        if (negated) body = body[1..];
        bool matched = false;
        for (int i = 0; i < body.Length; i++)
        {
            char low = body[i] == '\\' && i + 1 < body.Length ? body[++i] : body[i];
            char high = low;
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                i += 2;
                high = body[i] == '\\' && i + 1 < body.Length ? body[++i] : body[i];
            }
            if (c >= low && c <= high) matched = true;
        }
        return matched != negated;
    }
}
