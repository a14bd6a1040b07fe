using System.Globalization;

namespace Berth.Cli.Parsing;

/// <summary>Go's time.ParseDuration and Duration.String, since docker's flags and output use them.</summary>
public static class GoDuration
{
    public static TimeSpan Parse(string text) => TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        var s = text;
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0")
            return true;
        if (s.Length == 0)
        {
            error = $"time: invalid duration \"{text}\"";
            return false;
        }
        decimal totalNanos = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                i++;
            if (i == 0 || s[..i] == ".")
            {
                error = $"time: invalid duration \"{text}\"";
                return false;
            }
            var number = decimal.Parse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.')
                j++;
            if (j == 0)
            {
                error = $"time: missing unit in duration \"{text}\"";
                return false;
            }
            decimal? unit = s[..j] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (unit is null)
            {
                error = $"time: unknown unit \"{s[..j]}\" in duration \"{text}\"";
                return false;
            }
            totalNanos += number * unit.Value;
            s = s[j..];
        }
        var ticks = (long)(totalNanos / 100m);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    public static long ToNanoseconds(TimeSpan value) => value.Ticks * 100;
}
