using System.Globalization;

namespace Berth.Oci;

/// <summary>Go's RFC3339Nano timestamps: up to nine fractional digits, trailing zeros dropped, "Z" for UTC.</summary>
public static class Rfc3339
{
    public static string Format(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        string text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    /// <summary>Go's zero time, which Docker prints for times that never happened (FinishedAt of a running container).</summary>
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string FormatOrZero(DateTimeOffset? time) => time is { } t ? Format(t) : Zero;

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text)) return false;
        // .NET takes at most seven fractional digits; Go writes nine.
        int dot = text.IndexOf('.');
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = text[..(dot + 8)] + text[end..];
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
