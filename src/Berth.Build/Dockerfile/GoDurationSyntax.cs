namespace Berth.Build.Dockerfile;

/// <summary>Go's time.ParseDuration, with its error messages, for HEALTHCHECK's duration flags.</summary>
internal static class GoDurationSyntax
{
    private const ulong Limit = 1UL << 63;

    private static readonly Dictionary<string, ulong> Units = new()
    {
        ["ns"] = 1,
        ["us"] = 1_000,
        ["\u00b5s"] = 1_000,
        ["\u03bcs"] = 1_000,
        ["ms"] = 1_000_000,
        ["s"] = 1_000_000_000,
        ["m"] = 60_000_000_000,
        ["h"] = 3_600_000_000_000,
    };

    /// <summary>The duration in nanoseconds; throws an <see cref="InstructionRuleException"/> with Go's message.</summary>
    public static long ParseNanoseconds(string text)
    {
        string s = text;
        bool negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return 0;
        if (s.Length == 0) throw Invalid(text);
        ulong total = 0;
        while (s.Length > 0)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0]))) throw Invalid(text);
            int before = s.Length;
            ulong whole = LeadingInteger(ref s, text);
            bool hasWhole = before != s.Length;
            ulong fraction = 0;
            double scale = 1;
            bool hasFraction = false;
            if (s.Length > 0 && s[0] == '.')
            {
                s = s[1..];
                int start = s.Length;
                (fraction, scale) = LeadingFraction(ref s);
                hasFraction = start != s.Length;
            }
            if (!hasWhole && !hasFraction) throw Invalid(text);

            int unitEnd = 0;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd])) unitEnd++;
            if (unitEnd == 0) throw new InstructionRuleException($"time: missing unit in duration {GoQuote.Quote(text)}");
            string unitName = s[..unitEnd];
            s = s[unitEnd..];
            if (!Units.TryGetValue(unitName, out ulong unit))
                throw new InstructionRuleException($"time: unknown unit {GoQuote.Quote(unitName)} in duration {GoQuote.Quote(text)}");
            if (whole > Limit / unit) throw Invalid(text);
            whole *= unit;
            if (fraction > 0)
            {
                whole += (ulong)(fraction * (unit / scale));
                if (whole > Limit) throw Invalid(text);
            }
            total += whole;
            if (total > Limit) throw Invalid(text);
        }
        if (negative) return total == Limit ? long.MinValue : -(long)total;
        if (total > Limit - 1) throw Invalid(text);
        return (long)total;
    }

    private static ulong LeadingInteger(ref string s, string text)
    {
        ulong value = 0;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > Limit / 10) throw Invalid(text);
            value = value * 10 + (ulong)(s[i] - '0');
            if (value > Limit) throw Invalid(text);
        }
        s = s[i..];
        return value;
    }

    /// <summary>Digits after the point, as an integer and its power of ten; digits past 63 bits are dropped.</summary>
    private static (ulong Value, double Scale) LeadingFraction(ref string s)
    {
        ulong value = 0;
        double scale = 1;
        bool overflow = false;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow) continue;
            if (value > (Limit - 1) / 10)
            {
                overflow = true;
                continue;
            }
            ulong next = value * 10 + (ulong)(s[i] - '0');
            if (next > Limit)
            {
                overflow = true;
                continue;
            }
            value = next;
            scale *= 10;
        }
        s = s[i..];
        return (value, scale);
    }

    private static InstructionRuleException Invalid(string text) => new($"time: invalid duration {GoQuote.Quote(text)}");
}
