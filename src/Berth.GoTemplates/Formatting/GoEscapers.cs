using System.Globalization;
using System.Text;
using Berth.GoText;

namespace Berth.GoTemplates.Formatting;

/// <summary>The escapers behind text/template's html, js and urlquery functions.</summary>
internal static class GoEscapers
{
    private const string UpperHex = "0123456789ABCDEF";

    public static string Html(string text)
    {
        if (text.AsSpan().IndexOfAny("'\"&<>\0") < 0)
            return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\0': sb.Append('\uFFFD'); break;
                case '"': sb.Append("&#34;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    public static string JavaScript(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            switch (c)
            {
                case '\\': sb.Append(@"\\"); continue;
                case '\'': sb.Append(@"\'"); continue;
                case '"': sb.Append("\\\""); continue;
                case '<': sb.Append(@"\u003C"); continue;
                case '>': sb.Append(@"\u003E"); continue;
                case '&': sb.Append(@"\u0026"); continue;
                case '=': sb.Append(@"\u003D"); continue;
            }
            if (c < ' ')
                sb.Append(@"\u00").Append(UpperHex[c >> 4]).Append(UpperHex[c & 0xF]);
            else if (c < 0x80 || GoQuote.IsPrint(c))
                GoQuote.AppendRune(sb, c);
            else
                sb.Append(@"\u").Append(c.ToString("X4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Go's url.QueryEscape: unreserved characters stay, space becomes '+', the rest %XX of UTF-8.</summary>
    public static string UrlQuery(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
                sb.Append(c);
            else if (c == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
        }
        return sb.ToString();
    }
}
