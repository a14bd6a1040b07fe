using System.Globalization;

namespace Berth.Engine.Runtime.Shim;

/// <summary>Timestamps as the shim writes them (RFC 3339 with up to nine fraction digits) and as Unix nanoseconds.</summary>
internal static class Rfc3339Nano
{
    /// <summary>Parses RFC 3339 with any number of fraction digits (DateTimeOffset keeps 7).</summary>
    public static DateTimeOffset? Parse(string text)
    {
        int dot = text.IndexOf('.');
        if (dot >= 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    public static DateTimeOffset FromUnixNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
}
