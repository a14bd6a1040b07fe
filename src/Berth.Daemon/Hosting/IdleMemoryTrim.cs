namespace Berth.Daemon.Hosting;

/// <summary>
/// Gives the memory a burst of requests left behind back to the system once berthd has been idle for a moment, as Go's
/// runtime scavenger does for dockerd. The GC keeps the regions it freed committed for reuse and only decommits them
/// a little at each later collection; a daemon whose clients went quiet makes no further collections, so after 30
/// `docker run -d` it held ~25 MB committed for a ~6 MB heap. One aggressive collection after each burst (a blocking
/// compaction of a few MB, a few milliseconds) returns all of it; the next burst commits what it needs again.
/// </summary>
internal sealed class IdleMemoryTrim : IDisposable
{
    private static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private long _lastActivityTicks = Environment.TickCount64;
    private int _activeSinceTrim = 1; // start-up itself was a burst

    public IdleMemoryTrim() => _ = RunAsync(_stop.Token);

    /// <summary>Called as a request starts and as it ends: the trim waits for a quiet second after either.</summary>
    public void MarkActivity()
    {
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
        Volatile.Write(ref _activeSinceTrim, 1);
    }

    public IApplicationBuilder Observe(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        MarkActivity();
        try
        {
            await next(context);
        }
        finally
        {
            MarkActivity();
        }
    });

    private async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                if (Volatile.Read(ref _activeSinceTrim) == 0) continue;
                if (Environment.TickCount64 - Volatile.Read(ref _lastActivityTicks) < IdleDelay.TotalMilliseconds) continue;
                // Cleared before collecting, so a request that starts meanwhile earns the next trim.
                Volatile.Write(ref _activeSinceTrim, 0);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
