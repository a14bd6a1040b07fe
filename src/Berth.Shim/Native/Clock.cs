namespace Berth.Shim.Native;

/// <summary>Wall-clock nanoseconds (for log and exit timestamps) and a monotonic millisecond clock (for timers).</summary>
internal static unsafe class Clock
{
    public static long RealtimeNanos()
    {
        Libc.Timespec ts;
        Libc.clock_gettime(Libc.CLOCK_REALTIME, &ts);
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    public static long MonotonicMillis() => Environment.TickCount64;
}
