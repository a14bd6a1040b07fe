using System.Globalization;
using Berth.GoText;

namespace Berth.Cli.Parsing;

/// <summary>
/// docker's <c>--since</c>/<c>--until</c> values: a Go duration ("10m", relative to now), a Unix timestamp
/// ("1700000000.5"), or an RFC 3339 date/time; sent to the daemon as "seconds.nanoseconds".
/// </summary>
public static class Timestamps
{
    private static readonly string[] Layouts =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd",
    ];

    public static string ToApi(string value, DateTimeOffset now)
    {
        if (value.Length == 0)
            return "";
        if (GoDuration.TryParse(value, out var duration, out _))
            return Format(now - duration);
        if (value.All(c => char.IsAsciiDigit(c) || c == '.') && value.Count(c => c == '.') <= 1)
            return value;
        if (DateTimeOffset.TryParseExact(value, Layouts, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var time))
            return Format(time);
        throw new CliException($"invalid value for \"since\"/\"until\": failed to parse value as time or duration: \"{value}\"");
    }

    public static string Format(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + (rest * 100).ToString("000000000", CultureInfo.InvariantCulture);
    }
}
