using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// Forwards the container's output to a logging driver's server (syslog, GELF, fluentd, journald) from a sender thread
/// of its own, so the loop thread never waits for the network. Exists only for a container whose driver forwards.
/// The output pumps copy each chunk they read into a bounded ring (<see cref="Capacity"/>, outside the GC heap) and
/// read no more than it has room for (<see cref="Room"/>); the sender cuts lines, encodes and sends them. When the
/// ring is full a blocking container waits (as for a slow log file: the pumps stop reading until the sender frees
/// room, and it wakes the loop through a pipe); with mode=non-blocking the chunk is left out instead. A server that is
/// down is reconnected to as Docker's drivers do: syslog retries a message once, GELF over TCP three times a second
/// apart, fluentd until it is back (with a growing wait, at most a minute); a message that cannot be sent is dropped.
/// Nothing here ends the shim: failures go to shim.log once per outage.
/// </summary>
internal sealed unsafe class LogForwarder : IDisposable
{
    public const int Capacity = 256 * 1024;
    /// <summary>Less room than this counts as full, so that reads stay large.</summary>
    public const int MinRoom = 4096;
    private const int HeaderSize = 16; // int length (-1: end of the stream), int stream, long unix nanos; records are 16-byte aligned
    private const int DrainMillis = 2000;

    private readonly ForwardConfig _config;
    private readonly NativeBuffer _ring = new(Capacity);
    private readonly object _gate = new();
    private readonly Thread _thread;
    private readonly LoopWakeup _wakeup;
    private readonly RemoteSocket _socket;
    private readonly ForwardingSplitter _splitter;
    private readonly byte[] _datagram = new byte[GelfChunks.ChunkSize];
    // Guarded by _gate.
    private int _head, _used;
    private bool _loopWaiting, _stopping;
    private long _deadline = long.MaxValue;
    // Sender thread only.
    private bool _failing;
    // Loop thread only.
    private bool _disposed;

    public LogForwarder(EventLoop loop, ForwardConfig config)
    {
        _config = config;
        _socket = new RemoteSocket(config);
        IMessageEncoder encoder = config.Driver switch
        {
            "gelf" => new GelfEncoder(config),
            "fluentd" => new FluentdEncoder(config),
            "journald" => new JournaldEncoder(config),
            "plugin" => new LogEntryEncoder(),
            _ => new SyslogEncoder(config, Environment.ProcessId),
        };
        _splitter = new ForwardingSplitter(encoder, Deliver);
        // A plugin's FIFO is open from the start: the daemon lets go of its own end once the shim is up, and the plugin
        // must never see the FIFO without a writer (it would read that as the end of the stream).
        if (config.Network == "fifo" && _socket.Connect() is var rc and < 0)
            ShimDiagnostics.Warn($"log forwarder: open {config.Path}: errno {-rc}");
        _wakeup = new LoopWakeup(loop);
        _thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "log forwarder" };
        _thread.Start();
    }

    /// <summary>mode=non-blocking: what the ring has no room for is not forwarded, instead of the container waiting.</summary>
    public bool NonBlocking { get; init; }

    /// <summary>How many bytes of output the ring takes now; 0 when it is full (then <see cref="WhenSpaceAvailable"/>).</summary>
    public int Room
    {
        get
        {
            lock (_gate)
            {
                // Two end-of-stream records always fit besides the chunk's own header.
                int room = Capacity - _used - 4 * HeaderSize;
                if (room >= MinRoom) return room;
                _loopWaiting = true;
                return 0;
            }
        }
    }

    /// <summary>Queues a chunk of output read at <paramref name="unixNanos"/> (at most <see cref="Room"/> bytes; more is dropped).</summary>
    public void Write(OutputStream stream, ReadOnlySpan<byte> chunk, long unixNanos)
    {
        if (_disposed || chunk.IsEmpty) return;
        Enqueue(chunk.Length, stream, unixNanos, chunk, Capacity - 3 * HeaderSize);
    }

    /// <summary>End of <paramref name="stream"/>: its unfinished line is sent.</summary>
    public void Complete(OutputStream stream, long unixNanos)
    {
        if (_disposed) return;
        Enqueue(-1, stream, unixNanos, default, Capacity);
    }

    /// <summary>Runs <paramref name="callback"/> on the loop thread once the sender has made room (after <see cref="Room"/> was 0).</summary>
    public void WhenSpaceAvailable(Action callback)
    {
        _wakeup.Add(callback);
    }

    /// <summary>
    /// Sends what is queued, for at most <see cref="DrainMillis"/> (a server that is down does not hold the container's
    /// exit up for longer), then lets the thread go.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate)
        {
            _stopping = true;
            _deadline = Clock.MonotonicMillis() + DrainMillis;
            Monitor.PulseAll(_gate);
        }
        // A send stuck on a server that takes nothing can outlive the deadline: the thread (a background one) is then
        // left to end by itself, and its buffers with it.
        if (!_thread.Join(DrainMillis + 500)) return;
        _wakeup.Dispose();
        _socket.Dispose();
        _ring.Dispose();
    }

    private static int Aligned(int length) => (length + HeaderSize - 1) & ~(HeaderSize - 1);

    private void Enqueue(int length, OutputStream stream, long unixNanos, ReadOnlySpan<byte> data, int limit)
    {
        int size = HeaderSize + Aligned(Math.Max(length, 0));
        int tail;
        lock (_gate)
        {
            if (_used + size > limit) return; // only a non-blocking container gets here: its chunk is left out
            tail = (_head + _used) % Capacity;
        }
        var ring = _ring.Span;
        var header = ring.Slice(tail, HeaderSize);
        System.Runtime.InteropServices.MemoryMarshal.Write(header, in length);
        System.Runtime.InteropServices.MemoryMarshal.Write(header[4..], (int)stream);
        System.Runtime.InteropServices.MemoryMarshal.Write(header[8..], in unixNanos);
        int start = (tail + HeaderSize) % Capacity;
        int first = Math.Min(data.Length, Capacity - start);
        data[..first].CopyTo(ring[start..]);
        data[first..].CopyTo(ring);
        lock (_gate)
        {
            _used += size;
            Monitor.PulseAll(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            int head;
            lock (_gate)
            {
                while (_used == 0)
                {
                    if (_stopping) return;
                    Monitor.Wait(_gate);
                }
                head = _head;
            }
            var ring = _ring.Span;
            var header = ring.Slice(head, HeaderSize);
            int length = System.Runtime.InteropServices.MemoryMarshal.Read<int>(header);
            var stream = (OutputStream)System.Runtime.InteropServices.MemoryMarshal.Read<int>(header[4..]);
            long unixNanos = System.Runtime.InteropServices.MemoryMarshal.Read<long>(header[8..]);
            try
            {
                if (length < 0)
                {
                    _splitter.Complete(stream, unixNanos);
                }
                else
                {
                    int start = (head + HeaderSize) % Capacity;
                    int first = Math.Min(length, Capacity - start);
                    _splitter.Write(stream, ring.Slice(start, first), unixNanos);
                    if (first < length) _splitter.Write(stream, ring[..(length - first)], unixNanos);
                }
            }
            catch (Exception e)
            {
                // A failure must not end the thread (a blocking container would wait for room forever).
                ShimDiagnostics.Warn($"log forwarder: {e.Message}");
            }
            bool wake;
            lock (_gate)
            {
                int size = HeaderSize + Aligned(Math.Max(length, 0));
                _head = (_head + size) % Capacity;
                _used -= size;
                wake = _loopWaiting;
                _loopWaiting = false;
            }
            if (wake) _wakeup.Signal();
        }
    }

    /// <summary>Sends one message, reconnecting and retrying as the driver does (see the class remarks).</summary>
    private void Deliver(ReadOnlySpan<byte> message)
    {
        int attempts = _config.Driver switch { "fluentd" => int.MaxValue, "gelf" when !_config.Datagram => 4, "plugin" => 1, _ => 2 };
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            int rc = _socket.Connect();
            if (rc == 0) rc = SendFramed(message);
            if (rc == 0)
            {
                if (_failing) ShimDiagnostics.Warn($"log forwarder: {_config.Driver} server reachable again");
                _failing = false;
                return;
            }
            if (!_failing) ShimDiagnostics.Warn($"log forwarder: {_config.Driver} {_config.Network} send failed: errno {-rc}; retrying");
            _failing = true;
            int delay = _config.Driver switch
            {
                "fluentd" => Math.Min(60_000, 1000 << Math.Min(attempt, 6)),
                "gelf" => 1000,
                _ => 0,
            };
            if (!WaitBeforeRetry(delay)) return;
        }
    }

    private int SendFramed(ReadOnlySpan<byte> message)
    {
        if (_config.Driver != "gelf" || _config.Network != "udp" || message.Length <= GelfChunks.ChunkSize) return _socket.Send(message);
        int result = 0;
        ulong id = (ulong)Random.Shared.NextInt64();
        bool fits = GelfChunks.Split(message, id, _datagram, (datagram, length) =>
        {
            if (result == 0) result = _socket.Send(datagram.AsSpan(0, length));
        });
        return fits ? result : 0; // a message of more than 128 chunks is dropped, as GELF cannot carry it
    }

    /// <summary>Waits before the next attempt; false once the shim is stopping and its drain time is over.</summary>
    private bool WaitBeforeRetry(int delayMillis)
    {
        lock (_gate)
        {
            long until = Clock.MonotonicMillis() + delayMillis;
            while (true)
            {
                long now = Clock.MonotonicMillis();
                if (now >= _deadline) return false;
                if (now >= until) return true;
                Monitor.Wait(_gate, (int)Math.Max(1, Math.Min(until, _deadline) - now)); // woken early by new output too
            }
        }
    }
}
