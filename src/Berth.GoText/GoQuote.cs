using System.Globalization;
using System.Text;

namespace Berth.GoText;

/// <summary>Go's strconv.Quote family and unicode.IsPrint, used by %q and by the messages docker quotes text in.</summary>
public static class GoQuote
{
    /// <summary>strconv.Quote; a separate overload so it can be passed where a Func&lt;string, string&gt; is wanted.</summary>
    public static string Quote(string text) => Quote(text, asciiOnly: false);

    /// <summary>strconv.Quote, or strconv.QuoteToASCII when <paramref name="asciiOnly"/> (fmt's %+q).</summary>
    public static string Quote(string text, bool asciiOnly)
    {
        var sb = new StringBuilder(text.Length + 2);
        AppendQuoted(sb, text, '"', asciiOnly);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string text, char quote, bool asciiOnly)
    {
        sb.Append(quote);
        foreach (var rune in text.EnumerateRunes())
            AppendEscapedRune(sb, rune.Value, quote, asciiOnly);
        sb.Append(quote);
    }

    public static string QuoteRune(int rune, bool asciiOnly = false)
    {
        if (rune > 0x10FFFF || rune is >= 0xD800 and <= 0xDFFF)
            rune = 0xFFFD;
        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscapedRune(sb, rune, '\'', asciiOnly);
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>strconv.CanBackquote: no control characters other than tab, no backquote, valid text.</summary>
    public static bool CanBackquote(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var r = rune.Value;
            if (r == '`' || r == 0xFEFF || r == 0xFFFD)
                return false;
            if (r < ' ' && r != '\t' || r == 0x7F)
                return false;
        }
        return true;
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int rune)
    {
        if (rune < 0x80)
            return rune is >= 0x20 and < 0x7F;
        if (rune > 0x10FFFF || rune is >= 0xD800 and <= 0xDFFF)
            return false;
        switch (CharUnicodeInfo.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    private static void AppendEscapedRune(StringBuilder sb, int rune, char quote, bool asciiOnly)
    {
        if (rune == quote || rune == '\\')
        {
            sb.Append('\\').Append((char)rune);
            return;
        }
        if (asciiOnly ? rune < 0x80 && IsPrint(rune) : IsPrint(rune))
        {
            AppendRune(sb, rune);
            return;
        }
        switch (rune)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (rune < ' ' || rune == 0x7F)
            sb.Append("\\x").Append(rune.ToString("x2", CultureInfo.InvariantCulture));
        else if (rune < 0x10000)
            sb.Append("\\u").Append(rune.ToString("x4", CultureInfo.InvariantCulture));
        else
            sb.Append("\\U").Append(rune.ToString("x8", CultureInfo.InvariantCulture));
    }

    public static void AppendRune(StringBuilder sb, int rune)
    {
        if (rune < 0x10000)
            sb.Append((char)rune);
        else
            sb.Append(char.ConvertFromUtf32(rune));
    }
}
