using System.Globalization;
using System.Text;

namespace Berth.GoText;

public static partial class GoDuration
{
    /// <summary>
    /// Go's Duration.String ("1h0m0s", "1m30s", "1.5s", "500ms", "0s"), which docker prints in health check timeouts
    /// and `compose config` prints for durations.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        long ticks = duration.Ticks;
        if (ticks == 0) return "0s";
        var text = new StringBuilder();
        if (ticks < 0) text.Append('-');
        // Unsigned, so that TimeSpan.MinValue has a magnitude too (the subtraction wraps to 2^63).
        ulong magnitude = ticks < 0 ? 0UL - (ulong)ticks : (ulong)ticks;
        if (magnitude < TimeSpan.TicksPerSecond)
        {
            // Below a second Go picks the largest unit that keeps an integer part: ns, µs or ms.
            if (magnitude < TimeSpan.TicksPerMicrosecond)
                return text.Append((magnitude * TimeSpan.NanosecondsPerTick).ToString(CultureInfo.InvariantCulture)).Append("ns").ToString();
            if (magnitude < TimeSpan.TicksPerMillisecond)
                return text.Append(Fraction(magnitude, TimeSpan.TicksPerMicrosecond, 1)).Append("\u00b5s").ToString();
            return text.Append(Fraction(magnitude, TimeSpan.TicksPerMillisecond, 4)).Append("ms").ToString();
        }
        ulong hours = magnitude / TimeSpan.TicksPerHour;
        ulong minutes = magnitude / TimeSpan.TicksPerMinute % 60;
        ulong seconds = magnitude % TimeSpan.TicksPerMinute;
        if (hours > 0) text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return text.Append(Fraction(seconds, TimeSpan.TicksPerSecond, 7)).Append('s').ToString();
    }

    /// <summary>value/size with the fraction's trailing zeros dropped (Go prints no "1.500s").</summary>
    private static string Fraction(ulong value, long size, int digits)
    {
        string whole = (value / (ulong)size).ToString(CultureInfo.InvariantCulture);
        ulong rest = value % (ulong)size;
        if (rest == 0) return whole;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
