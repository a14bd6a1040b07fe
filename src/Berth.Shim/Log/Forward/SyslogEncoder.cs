using Berth.Shim.Io;
using Berth.Shim.Native;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// Syslog messages as Docker's syslog driver sends them, one per line, severity info (6) for stdout and err (3) for
/// stderr, each ending in a newline; the time is local, as the daemon's:
/// <list type="bullet">
/// <item>default: <c>&lt;30&gt;Nov 29 19:02:48 TAG[PID]: MSG</c> (Go's local syslog form, without a hostname)</item>
/// <item>rfc3164: <c>&lt;30&gt;Nov 29 19:02:48 HOST TAG[PID]: MSG</c></item>
/// <item>rfc5424: <c>&lt;30&gt;1 2026-11-29T19:02:36Z HOST TAG PID TAG - MSG</c>; rfc5424micro with microseconds.</item>
/// </list>
/// PID is the sender's (Docker's is dockerd's; here the shim sends).
/// </summary>
internal sealed class SyslogEncoder(ForwardConfig config, int pid) : IMessageEncoder
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output)
    {
        if (line.IsEmpty) return false;
        int priority = config.Facility * 8 + (stream == OutputStream.Stderr ? 3 : 6);
        output.Append((byte)'<');
        output.Append(priority);
        output.Append((byte)'>');
        var time = LocalTime.Of(unixNanos);
        switch (config.Format)
        {
            case "rfc5424" or "rfc5424micro":
                output.Append("1 "u8);
                AppendRfc3339(output, time, config.Format == "rfc5424micro" ? unixNanos % 1_000_000_000 / 1000 : -1);
                output.Append((byte)' ');
                output.Append(config.Hostname);
                output.Append((byte)' ');
                output.Append(config.Tag);
                output.Append((byte)' ');
                output.Append(pid);
                output.Append((byte)' ');
                output.Append(config.Tag);
                output.Append(" - "u8);
                break;
            default:
                AppendStamp(output, time);
                output.Append((byte)' ');
                if (config.Format == "rfc3164")
                {
                    output.Append(config.Hostname);
                    output.Append((byte)' ');
                }
                output.Append(config.Tag);
                output.Append((byte)'[');
                output.Append(pid);
                output.Append("]: "u8);
                break;
        }
        output.Append(line);
        output.Append((byte)'\n');
        return true;
    }

    /// <summary>Go's time.Stamp: <c>Jan _2 15:04:05</c>.</summary>
    private static void AppendStamp(ByteBuilder output, LocalTime time)
    {
        output.Append(Months[time.Month]);
        output.Append((byte)' ');
        output.AppendPadded(time.Day, 2, (byte)' ');
        output.Append((byte)' ');
        AppendClock(output, time);
    }

    /// <summary>RFC 3339 with the zone's offset ("Z" for UTC), and a fraction of up to six digits (trailing zeros dropped) when asked.</summary>
    private static void AppendRfc3339(ByteBuilder output, LocalTime time, long micros)
    {
        output.AppendPadded(time.Year, 4);
        output.Append((byte)'-');
        output.AppendPadded(time.Month + 1, 2);
        output.Append((byte)'-');
        output.AppendPadded(time.Day, 2);
        output.Append((byte)'T');
        AppendClock(output, time);
        if (micros > 0)
        {
            int digits = 6;
            while (micros % 10 == 0)
            {
                micros /= 10;
                digits--;
            }
            output.Append((byte)'.');
            output.AppendPadded(micros, digits);
        }
        if (time.OffsetSeconds == 0)
        {
            output.Append((byte)'Z');
            return;
        }
        long offset = Math.Abs(time.OffsetSeconds);
        output.Append(time.OffsetSeconds < 0 ? (byte)'-' : (byte)'+');
        output.AppendPadded(offset / 3600, 2);
        output.Append((byte)':');
        output.AppendPadded(offset / 60 % 60, 2);
    }

    private static void AppendClock(ByteBuilder output, LocalTime time)
    {
        output.AppendPadded(time.Hour, 2);
        output.Append((byte)':');
        output.AppendPadded(time.Minute, 2);
        output.Append((byte)':');
        output.AppendPadded(time.Second, 2);
    }
}

/// <summary>A wall-clock instant in the host's local time zone (libc's localtime_r, which reads TZ and /etc/localtime).</summary>
internal readonly record struct LocalTime(int Year, int Month, int Day, int Hour, int Minute, int Second, long OffsetSeconds)
{
    public static unsafe LocalTime Of(long unixNanos)
    {
        long seconds = Math.DivRem(unixNanos, 1_000_000_000, out long rest);
        if (rest < 0) seconds--;
        Libc.Tm tm;
        if (Libc.localtime_r(&seconds, &tm) is null)
        {
            var utc = DateTime.UnixEpoch.AddSeconds(seconds);
            return new LocalTime(utc.Year, utc.Month - 1, utc.Day, utc.Hour, utc.Minute, utc.Second, 0);
        }
        return new LocalTime(tm.Year + 1900, tm.Month, tm.Day, tm.Hour, tm.Minute, tm.Second, tm.GmtOffset);
    }
}
