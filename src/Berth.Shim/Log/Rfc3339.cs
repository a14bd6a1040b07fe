namespace Berth.Shim.Log;

/// <summary>
/// Formats Unix nanoseconds as RFC 3339 UTC: with all nine fraction digits (2026-11-28T01:02:03.123456789Z), or as Go's
/// RFC3339Nano, which drops the fraction's trailing zeros (…:03.1234567Z, …:03Z) and is what Docker's json-file
/// log holds.
/// </summary>
internal static class Rfc3339
{
    public const int Length = 30;

    public static void Format(long unixNanos, Span<byte> destination)
    {
        long seconds = Math.DivRem(unixNanos, 1_000_000_000L, out long nanos);
        if (nanos < 0) { nanos += 1_000_000_000L; seconds--; }
        var t = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
        Digits(destination[..4], t.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 9), nanos);
        destination[29] = (byte)'Z';
    }

    /// <summary>Go's RFC3339Nano form; returns its length (20 to <see cref="Length"/>).</summary>
    public static int FormatTrimmed(long unixNanos, Span<byte> destination)
    {
        Format(unixNanos, destination);
        int end = 29;
        while (destination[end - 1] == '0') end--;
        if (destination[end - 1] == '.') end--;
        destination[end] = (byte)'Z';
        return end + 1;
    }

    public static string Format(long unixNanos)
    {
        Span<byte> buffer = stackalloc byte[Length];
        Format(unixNanos, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    private static void Digits(Span<byte> destination, long value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
