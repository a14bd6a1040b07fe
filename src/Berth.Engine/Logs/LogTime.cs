namespace Berth.Engine.Logs;

/// <summary>
/// The "time" of a json-file entry without allocating: RFC 3339 with 0–9 fraction digits and a Z or ±hh:mm offset, to
/// Unix nanoseconds and back to Docker's fixed nine-digit UTC form (RFC3339NanoFixed) for <c>docker logs -t</c>.
/// </summary>
internal static class LogTime
{
    public const int FixedLength = 30; // 2026-11-28T01:02:03.123456789Z

    public static bool TryParse(ReadOnlySpan<byte> text, out long unixNanos)
    {
        unixNanos = 0;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' || text[13] != ':' || text[16] != ':')
            return false;
        if (!Digits(text[..4], out int year) || !Digits(text.Slice(5, 2), out int month) || !Digits(text.Slice(8, 2), out int day)
            || !Digits(text.Slice(11, 2), out int hour) || !Digits(text.Slice(14, 2), out int minute) || !Digits(text.Slice(17, 2), out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        int i = 19;
        long fraction = 0;
        if (text[i] == '.')
        {
            int digits = 0;
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
                if (digits < 9) fraction = fraction * 10 + (text[i] - '0');
            if (digits == 0) return false;
            for (; digits < 9; digits++) fraction *= 10;
        }
        long offsetSeconds;
        var zone = text[i..];
        if (zone.Length == 1 && (zone[0] | 0x20) == 'z')
        {
            offsetSeconds = 0;
        }
        else if (zone.Length == 6 && zone[0] is (byte)'+' or (byte)'-' && zone[3] == ':'
                 && Digits(zone.Slice(1, 2), out int offsetHours) && Digits(zone.Slice(4, 2), out int offsetMinutes))
        {
            offsetSeconds = (offsetHours * 3600L + offsetMinutes * 60L) * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }
        long days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        long seconds = days * 86400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        unixNanos = seconds * 1_000_000_000L + fraction;
        return true;
    }

    /// <summary>Writes <paramref name="unixNanos"/> as UTC with nine fraction digits; returns <see cref="FixedLength"/>.</summary>
    public static int FormatFixed(long unixNanos, Span<byte> destination)
    {
        long seconds = Math.DivRem(unixNanos, 1_000_000_000L, out long nanos);
        if (nanos < 0)
        {
            nanos += 1_000_000_000L;
            seconds--;
        }
        var t = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
        Write(destination[..4], t.Year);
        destination[4] = (byte)'-';
        Write(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        Write(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        Write(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        Write(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        Write(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        Write(destination.Slice(20, 9), nanos);
        destination[29] = (byte)'Z';
        return FixedLength;
    }

    /// <summary>
    /// The fixed form straight from the text when it is already UTC (the shim's own output: just pad the fraction),
    /// else through <see cref="TryParse"/>. Returns the length written, or 0 when the text is not a time.
    /// </summary>
    public static int ToFixed(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (text.Length is >= 20 and <= FixedLength && text[^1] == 'Z' && text[10] == 'T' && (text.Length == 20 || text[19] == '.'))
        {
            text[..^1].CopyTo(destination);
            destination[19] = (byte)'.';
            destination[Math.Max(text.Length - 1, 20)..29].Fill((byte)'0');
            destination[29] = (byte)'Z';
            return FixedLength;
        }
        return TryParse(text, out long nanos) ? FormatFixed(nanos, destination) : 0;
    }

    /// <summary>Ticks since the Unix epoch, truncating as a DateTimeOffset keeps only 7 fraction digits.</summary>
    public static long ToUnixTicks(long unixNanos) => unixNanos >= 0 ? unixNanos / 100 : -((-unixNanos + 99) / 100);

    public static long ToUnixTicks(DateTimeOffset time) => time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9) return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    private static void Write(Span<byte> destination, long value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
