using System.Globalization;
using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>Go's %q (strconv.Quote), which docker's error messages use to show the offending text.</summary>
internal static class GoQuote
{
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\a': quoted.Append("\\a"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\v': quoted.Append("\\v"); break;
                default:
                    if (IsPrintable(rune)) quoted.Append(rune.ToString());
                    else if (rune.Value < 0x80) quoted.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    else if (rune.Value < 0x10000) quoted.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    else quoted.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>Go's unicode.IsPrint: graphic characters and the ASCII space, but no other spaces.</summary>
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
