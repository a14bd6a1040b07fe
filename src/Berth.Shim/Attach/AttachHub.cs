using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Attach;

/// <summary>
/// The attachers of one container process: fans output out to them (framed for non-TTY processes), feeds their input
/// to the process's stdin, and applies back-pressure. While any attacher still holds unsent output the hub is
/// <see cref="Blocked"/> and the output pumps stop reading; an attacher that makes no progress for
/// <see cref="StallTimeoutMillis"/> is dropped, so a stuck client delays the container briefly and never stops it.
/// </summary>
internal sealed class AttachHub(EventLoop loop, bool tty, StdinSink? stdin, bool stdinOnce)
{
    public const int StallTimeoutMillis = 3000;

    private readonly List<Attacher> _attachers = [];
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private bool _outputComplete;
    private LoopTimer? _stallTimer;

    /// <summary>Raised with true when an attacher starts holding unsent output (stop reading the process's output), and
    /// with false when the last one has flushed or gone (read again).</summary>
    public event Action<bool>? BlockedChanged;

    public int Count => _attachers.Count;
    public bool Blocked { get; private set; }
    public bool AcceptsStdin => stdin is { Blocked: false };

    public void Start()
    {
        if (stdin is not null) stdin.Unblocked += UpdateAllInterest;
    }

    /// <summary>
    /// Adopts an accepted connection that has been answered "ok"; output goes to <paramref name="outputFd"/> when the
    /// daemon passed the client's connection (see <see cref="Attacher"/>), else -1 and output goes to <paramref name="fd"/>.
    /// </summary>
    public void Add(int fd, int outputFd, bool wantsStdin, bool wantsStdout, bool wantsStderr)
    {
        var attacher = new Attacher(loop, this, fd, outputFd < 0 ? fd : outputFd, wantsStdin && stdin is not null, wantsStdout, wantsStderr);
        _attachers.Add(attacher);
        attacher.Register();
        if (_outputComplete) attacher.CloseWhenFlushed();
    }

    public void Broadcast(OutputStream stream, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> header = default;
        if (!tty)
        {
            FrameHeader.Write(_header, stream, data.Length);
            header = _header;
        }
        // Iterate over a snapshot by index: a failed send drops the attacher from the list.
        for (int i = _attachers.Count - 1; i >= 0; i--)
        {
            if (i >= _attachers.Count) continue;
            var a = _attachers[i];
            if (a.Wants(stream)) a.Send(header, data);
        }
        RecomputeBlocked();
    }

    /// <summary>The process's output has ended: stdin closes and attachers are closed once flushed.</summary>
    public void CompleteOutput()
    {
        _outputComplete = true;
        stdin?.Close();
        for (int i = _attachers.Count - 1; i >= 0; i--)
            if (i < _attachers.Count) _attachers[i].CloseWhenFlushed();
    }

    internal void OnStdinData(ReadOnlySpan<byte> data)
    {
        if (stdin is null) return;
        stdin.Write(data);
        if (stdin.Blocked) UpdateAllInterest();
    }

    /// <summary>A stdin attacher half-closed; with StdinOnce that closes the container's stdin (Docker's `run -i` semantics).</summary>
    internal void OnStdinEnded()
    {
        if (stdinOnce) stdin?.CloseWhenDrained();
    }

    internal void OnFlushed() => RecomputeBlocked();

    internal void Drop(Attacher attacher)
    {
        attacher.Close();
        if (_attachers.Remove(attacher)) RecomputeBlocked();
    }

    private void UpdateAllInterest()
    {
        foreach (var a in _attachers)
            if (a.Stdin) a.UpdateInterest();
    }

    private void RecomputeBlocked()
    {
        bool blocked = false;
        foreach (var a in _attachers) blocked |= a.HasPending;
        if (blocked == Blocked) return;
        Blocked = blocked;
        if (blocked)
        {
            ScheduleStallCheck(StallTimeoutMillis);
        }
        else
        {
            _stallTimer?.Cancel();
            _stallTimer = null;
        }
        BlockedChanged?.Invoke(blocked);
    }

    private void ScheduleStallCheck(int delayMillis)
    {
        _stallTimer?.Cancel();
        _stallTimer = loop.Schedule(delayMillis, DropStalled);
    }

    private void DropStalled()
    {
        _stallTimer = null;
        long now = Clock.MonotonicMillis(), oldest = long.MaxValue;
        for (int i = _attachers.Count - 1; i >= 0; i--)
        {
            if (i >= _attachers.Count) continue;
            var a = _attachers[i];
            if (!a.HasPending) continue;
            if (now - a.LastProgressMillis >= StallTimeoutMillis)
            {
                ShimDiagnostics.Warn("dropping an attach connection that took no output for 3 s");
                Drop(a);
            }
            else
            {
                oldest = Math.Min(oldest, a.LastProgressMillis);
            }
        }
        if (Blocked && oldest != long.MaxValue) ScheduleStallCheck((int)(oldest + StallTimeoutMillis - now));
    }
}
