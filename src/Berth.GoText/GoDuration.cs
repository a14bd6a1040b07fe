namespace Berth.GoText;

/// <summary>
/// Go's time.ParseDuration and Duration.String. Docker reads its duration flags, Dockerfile HEALTHCHECK flags, compose
/// files and registry configs with Go's parser, so Berth keeps its rules, its limits (a signed 64-bit count of
/// nanoseconds) and its messages; callers wrap the message in their own error type.
/// </summary>
public static partial class GoDuration
{
    /// <summary>2^63: the magnitude of the most negative duration, one more than the largest positive one.</summary>
    private const ulong Limit = 1UL << 63;

    /// <summary>Throws a <see cref="FormatException"/> with Go's message.</summary>
    public static long ParseNanoseconds(string text) =>
        TryParseNanoseconds(text, out long nanoseconds, out string error) ? nanoseconds : throw new FormatException(error);

    /// <summary>Throws a <see cref="FormatException"/> with Go's message.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out string error) ? value : throw new FormatException(error);

    /// <summary>The duration at TimeSpan's 100 ns resolution: the nanoseconds below a tick are dropped.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        bool parsed = TryParseNanoseconds(text, out long nanoseconds, out error);
        value = TimeSpan.FromTicks(nanoseconds / 100);
        return parsed;
    }

    public static long ToNanoseconds(TimeSpan value) => value.Ticks * 100;

    /// <summary>Go's [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or a lone "0"; on failure <paramref name="error"/> is Go's message.</summary>
    public static bool TryParseNanoseconds(string text, out long nanoseconds, out string error)
    {
        nanoseconds = 0;
        error = "";
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0") return true;
        if (s.IsEmpty) return Invalid(text, out error);
        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0]))) return Invalid(text, out error);
            int before = s.Length;
            if (!TryLeadingInteger(ref s, out ulong whole)) return Invalid(text, out error);
            bool hasWhole = before != s.Length;
            ulong fraction = 0;
            double scale = 1;
            bool hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                int start = s.Length;
                (fraction, scale) = LeadingFraction(ref s);
                hasFraction = start != s.Length;
            }
            // "." and ".s" have no digits on either side of the point.
            if (!hasWhole && !hasFraction) return Invalid(text, out error);

            int unitEnd = 0;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd])) unitEnd++;
            if (unitEnd == 0)
            {
                error = $"time: missing unit in duration {GoQuote.Quote(text)}";
                return false;
            }
            var unitName = s[..unitEnd];
            s = s[unitEnd..];
            ulong unit = Nanoseconds(unitName);
            if (unit == 0)
            {
                error = $"time: unknown unit {GoQuote.Quote(unitName.ToString())} in duration {GoQuote.Quote(text)}";
                return false;
            }
            if (whole > Limit / unit) return Invalid(text, out error);
            whole *= unit;
            if (fraction > 0)
            {
                // Go takes the fraction's share in float64 (exact to the nanosecond even for fractions of an hour);
                // doing the same keeps its rounding.
                whole += (ulong)(fraction * (unit / scale));
                if (whole > Limit) return Invalid(text, out error);
            }
            total += whole;
            if (total > Limit) return Invalid(text, out error);
        }
        if (negative)
        {
            nanoseconds = total == Limit ? long.MinValue : -(long)total;
            return true;
        }
        if (total > Limit - 1) return Invalid(text, out error);
        nanoseconds = (long)total;
        return true;
    }

    /// <summary>The nanoseconds in one of Go's units, or 0 for a name Go does not know.</summary>
    private static ulong Nanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    /// <summary>Leading digits as an integer; false when they pass 2^63, which no duration's part can.</summary>
    private static bool TryLeadingInteger(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > Limit / 10) return false;
            value = value * 10 + (ulong)(s[i] - '0');
            if (value > Limit) return false;
        }
        s = s[i..];
        return true;
    }

    /// <summary>Digits after the point, as an integer and its power of ten; digits past 63 bits are dropped, as Go does.</summary>
    private static (ulong Value, double Scale) LeadingFraction(ref ReadOnlySpan<char> s)
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

    private static bool Invalid(string text, out string error)
    {
        error = $"time: invalid duration {GoQuote.Quote(text)}";
        return false;
    }
}
