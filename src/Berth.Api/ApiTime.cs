using System.Globalization;

namespace Berth.Api;

/// <summary>Times as Docker writes them: Go's RFC3339Nano (UTC, trailing zeros of the fraction dropped).</summary>
public static class ApiTime
{
    /// <summary>Go's zero time.Time, which Docker emits for "never" (e.g. FinishedAt of a running container).</summary>
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        var seconds = utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? seconds + "Z" : seconds + "." + fraction + "Z";
    }

    /// <summary>Parses RFC 3339 (any offset, up to nanosecond precision, truncated to ticks); Zero gives MinValue.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (text == Zero)
        {
            time = DateTimeOffset.MinValue;
            return true;
        }
        // .NET parses at most 7 fractional digits; Go writes up to 9.
        var normalized = text;
        var dot = text.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
            if (end - dot - 1 > 7)
            {
                normalized = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>Unix seconds, as used by list endpoints ("Created": 1700000000).</summary>
    public static long ToUnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    /// <summary>Nanoseconds since the epoch, as in events' timeNano.</summary>
    public static long ToUnixNanoseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
