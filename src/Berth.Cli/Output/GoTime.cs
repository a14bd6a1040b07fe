using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Go's time formats that appear in docker's output.</summary>
public static class GoTime
{
    /// <summary>Go's time.Time.String() for a whole-second time in the local zone: "2026-11-28 01:52:43 +0000 UTC".</summary>
    public static string UnixString(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var numeric = $"{sign}{Math.Abs(offset.Hours):00}{Math.Abs(offset.Minutes):00}";
        var zone = offset == TimeSpan.Zero ? "UTC" : numeric;
        return local.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + numeric + " " + zone;
    }

    /// <summary>RFC 3339 with nanoseconds and trailing zeros trimmed, as Go's time.RFC3339Nano.</summary>
    public static string Rfc3339Nano(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }
}
