using System.Globalization;
using System.Numerics;

namespace Berth.GoTemplates.Formatting;

/// <summary>
/// A non-negative number as decimal digits: value = 0.Digits × 10^Point, the same shape as Go's
/// strconv decimalSlice, so Go's %e/%f/%g layout rules can be applied to it literally.
/// Digits has no leading or trailing zeros; zero is the empty string.
/// </summary>
internal readonly record struct DecimalDigits(string Digits, int Point)
{
    public int Count => Digits.Length;

    public char this[int index] => index >= 0 && index < Digits.Length ? Digits[index] : '0';

    /// <summary>The shortest digits that round-trip, as Go's strconv does with precision -1.</summary>
    public static DecimalDigits Shortest(double value)
    {
        // .NET's "R" is the shortest round-trip form, the same digits Go's Ryu produces.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerDigits = dot < 0 ? text.Length : dot;
        var digits = dot < 0 ? text : string.Concat(text.AsSpan(0, dot), text.AsSpan(dot + 1));
        return Normalize(digits, integerDigits + exponent);
    }

    /// <summary>Every digit of the exact binary value, for correctly rounded fixed precision.</summary>
    public static DecimalDigits Exact(double value)
    {
        value = Math.Abs(value);
        if (value == 0)
            return new DecimalDigits("", 0);
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        int exponent;
        if (exponentBits == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1L << 52;
            exponent = exponentBits - 1075;
        }
        if (exponent >= 0)
        {
            var integer = new BigInteger(mantissa) << exponent;
            var text = integer.ToString(CultureInfo.InvariantCulture);
            return Normalize(text, text.Length);
        }
        // m / 2^k = m * 5^k / 10^k
        var scaled = new BigInteger(mantissa) * BigInteger.Pow(5, -exponent);
        var scaledText = scaled.ToString(CultureInfo.InvariantCulture);
        return Normalize(scaledText, scaledText.Length + exponent);
    }

    /// <summary>Rounds to <paramref name="count"/> significant digits, halves to even as Go does.</summary>
    public DecimalDigits RoundTo(int count)
    {
        if (count < 0 || count >= Digits.Length)
            return count < 0 ? new DecimalDigits("", 0) : this;
        bool up;
        if (Digits[count] == '5' && count + 1 == Digits.Length)
            up = count > 0 && (Digits[count - 1] - '0') % 2 == 1;
        else
            up = Digits[count] >= '5';
        if (!up)
            return Normalize(Digits[..count], Point);
        var chars = Digits[..count].ToCharArray();
        var i = count - 1;
        while (i >= 0 && chars[i] == '9')
            i--;
        if (i < 0)
            return new DecimalDigits("1", Point + 1);
        chars[i]++;
        return Normalize(new string(chars, 0, i + 1), Point);
    }

    private static DecimalDigits Normalize(string digits, int point)
    {
        var start = 0;
        while (start < digits.Length && digits[start] == '0')
        {
            start++;
            point--;
        }
        var end = digits.Length;
        while (end > start && digits[end - 1] == '0')
            end--;
        if (start == end)
            return new DecimalDigits("", 0);
        return new DecimalDigits(digits[start..end], point);
    }
}
