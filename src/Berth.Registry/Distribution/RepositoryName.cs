namespace Berth.Registry.Distribution;

/// <summary>
/// Repository names and tags as the distribution spec defines them:
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>, at most 255 characters.
/// A name that passes can be used as a relative path: no component is empty, "." or "..".
/// </summary>
public static class RepositoryName
{
    public const int MaxLength = 255;

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength) return false;
        foreach (var range in name.Split('/'))
            if (!IsValidComponent(name[range])) return false;
        return true;
    }

    private static bool IsValidComponent(ReadOnlySpan<char> component)
    {
        if (component.IsEmpty || !IsAlnum(component[0]) || !IsAlnum(component[^1])) return false;
        int i = 0;
        while (i < component.Length)
        {
            if (IsAlnum(component[i])) { i++; continue; }
            // A separator run: ".", "_", "__" or one or more "-".
            int start = i;
            char c = component[i];
            while (i < component.Length && component[i] == c) i++;
            int run = i - start;
            bool ok = c switch { '.' => run == 1, '_' => run <= 2, '-' => true, _ => false };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Tags: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
    public static bool IsValidTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > 128) return false;
        if (!(char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')) return false;
        foreach (char c in tag)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) return false;
        return true;
    }

    private static bool IsAlnum(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
