namespace Berth.Cli.Output;

/// <summary>Docker's short forms: 12-character IDs and ellipsized text.</summary>
public static class IdFormat
{
    /// <summary>Strips a "sha256:" style prefix and keeps 12 characters.</summary>
    public static string Truncate(string id)
    {
        var colon = id.IndexOf(':');
        if (colon >= 0)
            id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxWidth"/> runes, ending in "…" when cut.</summary>
    public static string Ellipsis(string text, int maxWidth)
    {
        if (maxWidth <= 0)
            return "";
        var runes = text.EnumerateRunes().ToList();
        if (runes.Count <= maxWidth)
            return text;
        if (maxWidth == 1)
            return runes[0].ToString();
        return string.Concat(runes.Take(maxWidth - 1).Select(r => r.ToString())) + "…";
    }
}
