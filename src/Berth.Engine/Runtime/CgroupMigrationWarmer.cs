using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Runtime;

/// <summary>
/// Keeps the kernel's cgroup migration lock in its writer mode while runc creates containers. runc moves a container's
/// init into its cgroups by writing the pid to <c>cgroup.procs</c>; that takes the global cgroup_threadgroup_rwsem for
/// writing, and the first writer after a quiet spell switches it out of its reader-friendly mode by waiting for an RCU
/// grace period: 10-15 ms on these machines, about a tenth of a `docker run -d`, spent blocked. A writer that comes
/// within a grace period of the last one does not wait. So while a start holds it (from the start's beginning until
/// runc create has returned), a thread of the daemon writes "0" (the daemon itself, into the cgroup it is already in:
/// nothing moves) to its own <c>cgroup.procs</c> every few milliseconds: the first write waits out the grace period
/// while the start mounts the root and writes the bundle, and runc's writes then find the lock ready.
/// Best effort: without a cgroup file it can open, holding it does nothing and starts cost what they did.
/// </summary>
public sealed class CgroupMigrationWarmer
{
    /// <summary>Well inside the shortest grace period, so the lock never falls back to its reader mode meanwhile.</summary>
    private const int IntervalMilliseconds = 3;
    /// <summary>A bound for a hold that is never let go of (a bug): the lock is left alone this long after the last hold began.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly SafeFileHandle? _procs;
    private int _holders;
    private long _lastHoldTicks;
    private Thread? _thread;
    private readonly AutoResetEvent _wake = new(false);
    private long _writes;

    /// <summary>Warms through <paramref name="procsFile"/> (a cgroup.procs file of this process's own cgroup), or does nothing when null.</summary>
    public CgroupMigrationWarmer(string? procsFile)
    {
        ProcsFile = procsFile;
        if (procsFile is null) return;
        try
        {
            _procs = File.OpenHandle(procsFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not root, or a read-only cgroup file system: no warming
        }
    }

    /// <summary>The daemon's own, found once.</summary>
    public static CgroupMigrationWarmer ForThisProcess => s_own.Value;

    private static readonly Lazy<CgroupMigrationWarmer> s_own = new(() => new CgroupMigrationWarmer(OwnCgroup.ProcsFile()));

    public string? ProcsFile { get; }

    /// <summary>Writes that went through so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Keeps the lock warm until the returned hold is disposed (holds nest and overlap).</summary>
    public IDisposable Hold()
    {
        if (_procs is null) return NoHold.Instance;
        lock (_lock)
        {
            _holders++;
            _lastHoldTicks = Environment.TickCount64;
            _thread ??= StartThread();
        }
        _wake.Set();
        return new Holding(this);
    }

    private Thread StartThread()
    {
        // A thread of its own: the first write of a spell blocks for a grace period, which no pool thread should.
        var thread = new Thread(Run) { IsBackground = true, Name = "cgroup warmer" };
        thread.Start();
        return thread;
    }

    private void Release()
    {
        lock (_lock) _holders--;
    }

    private bool Held()
    {
        lock (_lock) return _holders > 0 && Environment.TickCount64 - _lastHoldTicks < Limit.TotalMilliseconds;
    }

    private void Run()
    {
        byte[] zero = "0"u8.ToArray();
        while (true)
        {
            _wake.WaitOne();
            while (Held())
            {
                try
                {
                    RandomAccess.Write(_procs!, zero, 0);
                    Interlocked.Increment(ref _writes);
                }
                catch (IOException)
                {
                    // EBUSY where the hierarchy forbids processes in this cgroup: the lock was taken all the same
                }
                Thread.Sleep(IntervalMilliseconds);
            }
        }
    }

    private sealed class Holding(CgroupMigrationWarmer owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release();
        }
    }

    private sealed class NoHold : IDisposable
    {
        public static readonly NoHold Instance = new();
        public void Dispose() { }
    }
}
