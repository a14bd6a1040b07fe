using System.Globalization;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// Durations as Go's time.ParseDuration reads them, which is what Compose uses: a sequence of decimal numbers each
/// with a unit (ns, us, µs, ms, s, m, h), such as "1m30s", "1.5s" or "500ms"; a lone "0" is zero.
/// </summary>
public static class GoDurations
{
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new ComposeException($"invalid duration: '{text}'");

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
            return false;
        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
            return true;
        if (s.IsEmpty)
            return false;

        double ticks = 0;
        while (!s.IsEmpty)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
                numberEnd++;
            if (numberEnd == 0 || !double.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture, out var number))
                return false;
            s = s[numberEnd..];
            var unitEnd = 0;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.')
                unitEnd++;
            double ticksPerUnit = s[..unitEnd] switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1,
            };
            if (ticksPerUnit < 0)
                return false;
            ticks += number * ticksPerUnit;
            s = s[unitEnd..];
        }
        if (ticks >= TimeSpan.MaxValue.Ticks)
            return false;
        duration = TimeSpan.FromTicks((long)Math.Round(ticks) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>The duration as Go prints it ("1m30s", "500ms", "0s"), which is how `compose config` shows it.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "0s";
        var sign = duration < TimeSpan.Zero ? "-" : "";
        var ticks = Math.Abs(duration.Ticks);
        if (ticks < TimeSpan.TicksPerSecond)
        {
            // Go prints sub-second durations in the largest unit that keeps them at least one.
            if (ticks >= TimeSpan.TicksPerMillisecond)
                return sign + Fraction(ticks, TimeSpan.TicksPerMillisecond) + "ms";
            if (ticks >= 10)
                return sign + Fraction(ticks, 10) + "µs";
            return sign + (ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";
        }
        var text = new System.Text.StringBuilder(sign);
        var hours = ticks / TimeSpan.TicksPerHour;
        ticks -= hours * TimeSpan.TicksPerHour;
        var minutes = ticks / TimeSpan.TicksPerMinute;
        ticks -= minutes * TimeSpan.TicksPerMinute;
        if (hours > 0)
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0)
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        text.Append(Fraction(ticks, TimeSpan.TicksPerSecond)).Append('s');
        return text.ToString();
    }

    private static string Fraction(long ticks, long ticksPerUnit) =>
        ((decimal)ticks / ticksPerUnit).ToString("0.#######", CultureInfo.InvariantCulture);
}
