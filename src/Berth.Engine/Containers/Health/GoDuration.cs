using System.Globalization;
using System.Text;

namespace Berth.Engine.Containers.Health;

/// <summary>Go's time.Duration.String() ("500ms", "1s", "1m30s", "1.5s"), which Docker prints in probe timeouts.</summary>
public static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        long nanos = duration.Ticks * 100;
        if (nanos == 0) return "0s";
        var text = new StringBuilder();
        if (nanos < 0)
        {
            text.Append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000)
        {
            // Below a second Go picks the largest unit that keeps an integer part: ns, µs or ms.
            var (unit, size) = nanos < 1_000 ? ("ns", 1L) : nanos < 1_000_000 ? ("µs", 1_000L) : ("ms", 1_000_000L);
            return text.Append(Fraction(nanos, size)).Append(unit).ToString();
        }
        long hours = nanos / 3_600_000_000_000;
        long minutes = nanos / 60_000_000_000 % 60;
        long secondsNanos = nanos % 60_000_000_000;
        if (hours > 0) text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return text.Append(Fraction(secondsNanos, 1_000_000_000)).Append('s').ToString();
    }

    /// <summary>value/size with the fraction's trailing zeros dropped (Go prints no "1.500s").</summary>
    private static string Fraction(long value, long size)
    {
        string whole = (value / size).ToString(CultureInfo.InvariantCulture);
        long rest = value % size;
        if (rest == 0) return whole;
        int digits = (int)Math.Round(Math.Log10(size));
        string fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole + "." + fraction;
    }
}
