using System.Globalization;
using System.Numerics;
using System.Text;
using Berth.GoText;

namespace Berth.GoTemplates.Parsing;

/// <summary>Go's strconv.Unquote and the number rules of parse.NewNumber, for template constants.</summary>
internal static class GoLiteral
{
    public sealed class SyntaxException(string message) : Exception(message);

    /// <summary>strconv.Unquote for "..." and `...` literals.</summary>
    public static string Unquote(string literal)
    {
        if (literal.Length < 2 || literal[0] != literal[^1])
            throw new SyntaxException("invalid syntax");
        var body = literal[1..^1];
        if (literal[0] == '`')
        {
            if (body.Contains('`'))
                throw new SyntaxException("invalid syntax");
            return body.Replace("\r", "", StringComparison.Ordinal);
        }
        if (literal[0] != '"')
            throw new SyntaxException("invalid syntax");
        if (!body.Contains('\\') && !body.Contains('"') && !body.Contains('\n'))
            return body;
        // \x and octal escapes are bytes; collect UTF-8 and decode once, as Go's string would hold them.
        var bytes = new List<byte>(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            if (body[i] == '"' || body[i] == '\n')
                throw new SyntaxException("invalid syntax");
            var (value, isByte, next) = UnquoteChar(body, i, '"');
            i = next;
            if (isByte)
                bytes.Add((byte)value);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(value)));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The value of a character constant such as 'a' or '\n'.</summary>
    public static int UnquoteRune(string literal)
    {
        if (literal.Length < 3 || literal[0] != '\'' || literal[^1] != '\'')
            throw new SyntaxException("malformed character constant: " + literal);
        var (value, _, next) = UnquoteChar(literal, 1, '\'');
        if (next != literal.Length - 1)
            throw new SyntaxException("malformed character constant: " + literal);
        return value;
    }

    private static (int Value, bool IsByte, int Next) UnquoteChar(string s, int i, char quote)
    {
        var c = s[i];
        if (c == quote && quote == '\'')
            throw new SyntaxException("invalid syntax");
        if (c != '\\')
        {
            var rune = Rune.GetRuneAt(s, i);
            return (rune.Value, false, i + rune.Utf16SequenceLength);
        }
        if (i + 1 >= s.Length)
            throw new SyntaxException("invalid syntax");
        c = s[i + 1];
        i += 2;
        switch (c)
        {
            case 'a': return (7, false, i);
            case 'b': return (8, false, i);
            case 'f': return (12, false, i);
            case 'n': return (10, false, i);
            case 'r': return (13, false, i);
            case 't': return (9, false, i);
            case 'v': return (11, false, i);
            case '\\': return ('\\', false, i);
            case '\'' or '"':
                if (c != quote)
                    throw new SyntaxException("invalid syntax");
                return (c, false, i);
            case 'x' or 'u' or 'U':
            {
                var n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                if (i + n > s.Length)
                    throw new SyntaxException("invalid syntax");
                if (!int.TryParse(s.AsSpan(i, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
                    && !(n == 8 && uint.TryParse(s.AsSpan(i, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
                    throw new SyntaxException("invalid syntax");
                if (n == 8 && (v < 0 || v > 0x10FFFF))
                    throw new SyntaxException("invalid syntax");
                if (c == 'x')
                    return (v, quote == '"', i + n);
                if (v is >= 0xD800 and <= 0xDFFF || v > 0x10FFFF)
                    throw new SyntaxException("invalid syntax");
                return (v, false, i + n);
            }
            case >= '0' and <= '7':
            {
                if (i + 2 > s.Length)
                    throw new SyntaxException("invalid syntax");
                var v = c - '0';
                for (var j = 0; j < 2; j++)
                {
                    var d = s[i + j] - '0';
                    if (d is < 0 or > 7)
                        throw new SyntaxException("invalid syntax");
                    v = v * 8 + d;
                }
                if (v > 255)
                    throw new SyntaxException("invalid syntax");
                return (v, quote == '"', i + 2);
            }
            default:
                throw new SyntaxException("invalid syntax");
        }
    }

    /// <summary>parse.NewNumber: classifies a number constant as int, uint and/or float like Go.</summary>
    public static NumberNode ParseNumber(int pos, string text, TokenKind kind)
    {
        var n = new NumberNode(pos, text);
        if (kind == TokenKind.CharConstant)
        {
            var rune = UnquoteRune(text);
            n.Int64 = rune;
            n.IsInt = true;
            n.Uint64 = (ulong)rune;
            n.IsUint = true;
            n.Float64 = rune;
            n.IsFloat = true;
            return n;
        }
        if (kind == TokenKind.Complex || text.EndsWith('i'))
        {
            n.IsComplex = true;
            return n;
        }
        var integer = ParseInteger(text);
        if (integer is { } big)
        {
            if (big >= 0 && big <= ulong.MaxValue)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)big;
            }
            if (big >= long.MinValue && big <= long.MaxValue)
            {
                n.IsInt = true;
                n.Int64 = (long)big;
            }
        }
        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (ParseFloat(text) is { } f)
        {
            if (text.AsSpan().IndexOfAny(".eEpP") < 0)
                throw new SyntaxException("integer overflow: " + GoQuote.Quote(text));
            n.IsFloat = true;
            n.Float64 = f;
            if (!n.IsInt && Math.Floor(f) == f && f >= -9.2233720368547758E18 && f < 9.2233720368547758E18)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }
            if (!n.IsUint && Math.Floor(f) == f && f >= 0 && f < 1.8446744073709552E19)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }
        if (!n.IsInt && !n.IsUint && !n.IsFloat)
            throw new SyntaxException("illegal number syntax: " + GoQuote.Quote(text));
        return n;
    }

    /// <summary>strconv.ParseInt with base 0: 0x, 0o, 0b and leading-0 octal prefixes, underscores between digits.</summary>
    private static BigInteger? ParseInteger(string text)
    {
        if (!UnderscoreOk(text))
            return null;
        var s = text.Replace("_", "", StringComparison.Ordinal);
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        var numberBase = 10;
        if (s.Length >= 2 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x':
                    numberBase = 16;
                    s = s[2..];
                    break;
                case 'o':
                    numberBase = 8;
                    s = s[2..];
                    break;
                case 'b':
                    numberBase = 2;
                    s = s[2..];
                    break;
                default:
                    numberBase = 8;
                    s = s[1..];
                    break;
            }
        }
        if (s.Length == 0)
            return null;
        BigInteger value = 0;
        foreach (var c in s)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= numberBase)
                return null;
            value = value * numberBase + digit;
        }
        return negative ? -value : value;
    }

    /// <summary>strconv.ParseFloat for decimal and hexadecimal (0x1p-2) forms.</summary>
    private static double? ParseFloat(string text)
    {
        if (!UnderscoreOk(text))
            return null;
        var s = text.Replace("_", "", StringComparison.Ordinal);
        var sign = 1.0;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X')
            return ParseHexFloat(s[2..]) is { } hex ? sign * hex : null;
        if (s.Length == 0 || s.AsSpan().IndexOfAnyExcept("0123456789.eE+-") >= 0)
            return null;
        // Go's ParseFloat refuses values out of range where .NET gives infinity.
        return double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? sign * d
            : null;
    }

    private static double? ParseHexFloat(string s)
    {
        var p = s.IndexOfAny(['p', 'P']);
        if (p < 0)
            return null;
        var mantissaText = s[..p];
        if (!int.TryParse(s.AsSpan(p + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
            return null;
        var dot = mantissaText.IndexOf('.');
        var fractionDigits = dot < 0 ? 0 : mantissaText.Length - dot - 1;
        var digits = dot < 0 ? mantissaText : mantissaText.Remove(dot, 1);
        if (digits.Length == 0)
            return null;
        BigInteger mantissa = 0;
        foreach (var c in digits)
        {
            if (!Uri.IsHexDigit(c))
                return null;
            mantissa = mantissa * 16 + Convert.ToInt32(c.ToString(), 16);
        }
        var value = Math.ScaleB((double)mantissa, exponent - 4 * fractionDigits);
        return double.IsFinite(value) ? value : null;
    }

    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+')
            s = s[1..];
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9' || hex && char.ToLowerInvariant(c) is >= 'a' and <= 'f')
            {
                saw = '0';
                continue;
            }
            if (c == '_')
            {
                if (saw != '0')
                    return false;
                saw = '_';
                continue;
            }
            if (saw == '_')
                return false;
            saw = '!';
        }
        return saw != '_';
    }
}
