using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>
/// Formats and writes the log on a thread of its own, so the loop thread forwards output while the disk takes the
/// previous chunks. Chunks travel through a ring of <see cref="Slots"/> read-sized slots that the output pumps read
/// into directly (no copy): the loop reserves the next slot, reads and broadcasts from it and commits it; the writer
/// formats it, frees it and, once the queue is empty, writes out what it formatted (so a backlog goes out in big
/// writes). When every slot is taken the loop gets no buffer and stops reading until the writer frees one: a slow disk
/// slows the container down, and no log line is ever dropped. The writer wakes the loop through a pipe.
/// </summary>
internal sealed unsafe class LogWriterThread : IDisposable
{
    public const int Slots = 4;
    private const int ItemCapacity = Slots + 4; // chunks hold a slot each; the ends of the (at most two) streams hold none

    private readonly JsonLogFormatter _formatter;
    private readonly NativeBuffer _slots = new(Slots * ReadBuffer.BurstChunk);
    private readonly Item[] _items = new Item[ItemCapacity];
    private readonly object _gate = new();
    private readonly Thread _thread;
    private readonly LoopWakeup _wakeup;
    // Guarded by _gate: the queue, and whether the loop waits for a slot.
    private int _head, _count, _slotsInUse;
    private bool _loopWaiting, _stopping;
    // Loop thread only.
    private int _nextSlot;
    private bool _disposed;

    /// <summary>A chunk (in slot <c>Slot</c>), the end of a stream (<see cref="EndOfStream"/>), or <see cref="FlushNow"/>.</summary>
    private readonly record struct Item(int Slot, OutputStream Stream, int Length, long UnixNanos);

    private const int EndOfStream = -1;
    private static readonly Item FlushNow = new(-2, OutputStream.Stdout, 0, 0);

    public LogWriterThread(EventLoop loop, JsonLogFormatter formatter)
    {
        _formatter = formatter;
        _wakeup = new LoopWakeup(loop);
        _thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "log writer" };
        _thread.Start();
    }

    /// <summary>The slot the next chunk should be read into, or empty when all are taken (see <see cref="WhenSpaceAvailable"/>).</summary>
    public Span<byte> TryReserve()
    {
        lock (_gate)
        {
            if (_slotsInUse == Slots || _count == ItemCapacity)
            {
                _loopWaiting = true;
                return default;
            }
        }
        return Slot(_nextSlot);
    }

    /// <summary>Queues a chunk; <paramref name="chunk"/> is normally the start of the slot <see cref="TryReserve"/> gave.</summary>
    public void Commit(OutputStream stream, ReadOnlySpan<byte> chunk, long unixNanos)
    {
        var slot = Slot(_nextSlot);
        if (!chunk.Overlaps(slot, out int offset) || offset != 0)
        {
            // Not read in place (or longer than a slot: never from a pump): copy it, a slot at a time.
            while (chunk.Length > slot.Length)
            {
                Commit(stream, chunk[..slot.Length], unixNanos);
                chunk = chunk[slot.Length..];
                slot = Slot(_nextSlot);
            }
            WaitUntil(() => _slotsInUse < Slots && _count < ItemCapacity);
            chunk.CopyTo(slot);
        }
        Enqueue(new Item(_nextSlot, stream, chunk.Length, unixNanos));
        _nextSlot = (_nextSlot + 1) % Slots;
    }

    /// <summary>Queues the end of <paramref name="stream"/> (its unfinished line is logged, after every chunk before it).</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        WaitUntil(() => _count < ItemCapacity);
        Enqueue(new Item(EndOfStream, stream, 0, unixNanos));
    }

    /// <summary>Nothing queued and nobody waiting for a slot: stopping now loses nothing and blocks on nothing.</summary>
    public bool Idle
    {
        get
        {
            if (_wakeup.HasWaiters) return false;
            lock (_gate) return _count == 0;
        }
    }

    /// <summary>Runs <paramref name="callback"/> on the loop thread once a slot is free (after an empty <see cref="TryReserve"/>).</summary>
    public void WhenSpaceAvailable(Action callback)
    {
        _wakeup.Add(callback);
    }

    /// <summary>Writes out everything queued, then stops the thread (blocks until the disk has taken it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _wakeup.Dispose();
        _slots.Dispose();
    }

    private Span<byte> Slot(int index) => _slots.Span.Slice(index * ReadBuffer.BurstChunk, ReadBuffer.BurstChunk);

    private void Enqueue(Item item)
    {
        lock (_gate)
        {
            _items[(_head + _count) % ItemCapacity] = item;
            _count++;
            if (item.Slot >= 0) _slotsInUse++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks the loop thread until the writer has made room (only where a caller cannot wait for a wake-up).</summary>
    private void WaitUntil(Func<bool> room)
    {
        lock (_gate)
            while (!room()) Monitor.Wait(_gate);
    }

    private void Run()
    {
        bool unflushed = false;
        while (true)
        {
            Item item;
            lock (_gate)
            {
                while (_count == 0 && !unflushed)
                {
                    if (_stopping) return;
                    Monitor.Wait(_gate);
                }
                item = _count == 0 ? FlushNow : _items[_head]; // nothing queued: write out what was formatted
            }
            try
            {
                if (item == FlushNow) _formatter.Flush();
                else if (item.Slot >= 0) _formatter.Write(item.Stream, Slot(item.Slot)[..item.Length], item.UnixNanos);
                else _formatter.Complete(item.Stream, item.UnixNanos);
            }
            catch (Exception e)
            {
                // A failure must not end the thread (the loop would wait for a slot forever): report it and go on.
                ShimDiagnostics.Warn($"log writer: {e.Message}");
            }
            if (item == FlushNow)
            {
                unflushed = false;
                continue;
            }
            unflushed = true;
            bool wake;
            lock (_gate)
            {
                _head = (_head + 1) % ItemCapacity;
                _count--;
                if (item.Slot >= 0) _slotsInUse--;
                wake = _loopWaiting;
                _loopWaiting = false;
                Monitor.PulseAll(_gate);
            }
            if (wake) _wakeup.Signal();
        }
    }
}
