using Berth.Shim.Io;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Attach;

/// <summary>
/// One ATTACH connection. Output goes out with non-blocking sends; what the socket cannot take is kept (one chunk at
/// most: the hub stops reading the container until every attacher has flushed). Bytes the client sends are the
/// container's stdin when it attached stdin, and are read and dropped otherwise (so a half-close is noticed).
/// </summary>
/// <remarks>
/// <paramref name="outputFd"/> is where output goes: the control connection itself (<paramref name="fd"/>), or the
/// client's own connection that the daemon passed along, so output reaches the client without passing through the
/// daemon. Then <paramref name="fd"/> carries only stdin, and closing it (after the output one) tells the daemon that
/// the stream has ended.
/// </remarks>
internal sealed class Attacher(EventLoop loop, AttachHub hub, int fd, int outputFd, bool stdin, bool stdout, bool stderr) : IPollHandler
{
    private readonly bool _separateOutput = outputFd != fd;
    private OutputWatcher? _outputWatcher;
    private uint _outputInterest;
    private NativeBuffer? _pending;
    private int _pendingOffset, _pendingLength;
    private bool _readEnded, _closeWhenFlushed;
    private uint _interest = uint.MaxValue;

    public bool Stdin { get; } = stdin;
    public bool Closed { get; private set; }
    public bool HasPending => _pendingLength > 0;
    public long LastProgressMillis { get; private set; } = Clock.MonotonicMillis();

    public bool Wants(OutputStream stream) => stream == OutputStream.Stdout ? stdout : stderr;

    public void Register()
    {
        SendBuffer.Grow(outputFd);
        loop.Add(fd, Interest(), this);
        _interest = Interest();
        if (!_separateOutput) return;
        // Registered with no events: epoll still reports an error or a hang-up, i.e. a client that went away.
        _outputWatcher = new OutputWatcher(this);
        loop.Add(outputFd, 0, _outputWatcher);
    }

    /// <summary>Sends <paramref name="header"/> + <paramref name="payload"/>, keeping whatever the socket does not take now.</summary>
    public void Send(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        int sent = 0;
        if (!HasPending)
        {
            sent = UnixSocket.Send(outputFd, header, payload);
            if (sent == -Libc.EAGAIN) sent = 0;
            if (sent < 0)
            {
                hub.Drop(this);
                return;
            }
            if (sent == header.Length + payload.Length) return;
            LastProgressMillis = Clock.MonotonicMillis();
        }
        int headerRest = Math.Max(0, header.Length - sent);
        var payloadRest = payload[Math.Max(0, sent - header.Length)..];
        Keep(header[(header.Length - headerRest)..], payloadRest);
        UpdateInterest();
    }

    private void Keep(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        int needed = _pendingLength + first.Length + second.Length;
        if (_pending is null || _pendingOffset + needed > _pending.Length)
        {
            var buffer = _pending is not null && needed <= _pending.Length
                ? _pending
                : new NativeBuffer(Math.Max(needed, FrameHeader.Size + ReadBuffer.Size));
            if (_pending is not null) _pending.Span.Slice(_pendingOffset, _pendingLength).CopyTo(buffer.Span);
            if (buffer != _pending) _pending?.Dispose();
            _pending = buffer;
            _pendingOffset = 0;
        }
        first.CopyTo(_pending.Span[(_pendingOffset + _pendingLength)..]);
        second.CopyTo(_pending.Span[(_pendingOffset + _pendingLength + first.Length)..]);
        _pendingLength = needed;
    }

    /// <summary>No more output will come: close as soon as what is pending has been flushed.</summary>
    public void CloseWhenFlushed()
    {
        if (HasPending) _closeWhenFlushed = true;
        else hub.Drop(this);
    }

    public void OnPoll(uint events)
    {
        if (!_separateOutput && (events & PollEvents.Out) != 0 && HasPending && !Flush()) return;
        if ((events & (PollEvents.In | PollEvents.ReadHangUp)) != 0 && !_readEnded && !ReadInput(events)) return;
        if ((events & PollEvents.Error) != 0 || ((events & PollEvents.HangUp) != 0 && (_readEnded || (events & PollEvents.In) == 0)))
            hub.Drop(this);
    }

    public void UpdateInterest()
    {
        if (Closed) return;
        uint wanted = Interest();
        if (wanted != _interest)
        {
            loop.Modify(fd, wanted);
            _interest = wanted;
        }
        if (!_separateOutput) return;
        uint output = HasPending ? PollEvents.Out : 0;
        if (output == _outputInterest) return;
        loop.Modify(outputFd, output);
        _outputInterest = output;
    }

    private void OnOutputPoll(uint events)
    {
        if ((events & PollEvents.Out) != 0 && HasPending && !Flush()) return;
        if ((events & (PollEvents.Error | PollEvents.HangUp)) != 0) hub.Drop(this);
    }

    /// <summary>Unregisters and closes; unread input is drained first so the peer does not see a reset instead of EOF.</summary>
    public void Close()
    {
        if (Closed) return;
        Closed = true;
        if (_separateOutput)
        {
            // Removed from epoll explicitly: the daemon still holds the connection, so closing ours would not.
            loop.Remove(outputFd);
            Fd.Close(outputFd);
        }
        loop.Remove(fd);
        // Not the shared read buffer: an attacher can be dropped in the middle of a broadcast of that buffer.
        Span<byte> discard = stackalloc byte[4096];
        for (int i = 0; i < 64 && Fd.Read(fd, discard) > 0; i++) { }
        Fd.Close(fd);
        _pending?.Dispose();
        _pending = null;
        _pendingLength = 0;
    }

    private uint Interest()
    {
        uint events = 0;
        if (!_readEnded && (!Stdin || hub.AcceptsStdin)) events |= PollEvents.In | PollEvents.ReadHangUp;
        if (HasPending && !_separateOutput) events |= PollEvents.Out;
        return events;
    }

    /// <returns>false when the attacher was dropped.</returns>
    private bool Flush()
    {
        int sent = UnixSocket.Send(outputFd, _pending!.Span.Slice(_pendingOffset, _pendingLength));
        if (sent == -Libc.EAGAIN) return true;
        if (sent < 0)
        {
            hub.Drop(this);
            return false;
        }
        LastProgressMillis = Clock.MonotonicMillis();
        _pendingOffset += sent;
        _pendingLength -= sent;
        if (HasPending) return true;
        _pendingOffset = 0;
        UpdateInterest();
        if (_closeWhenFlushed)
        {
            hub.Drop(this);
            return false;
        }
        hub.OnFlushed();
        return true;
    }

    /// <returns>false when the attacher was dropped.</returns>
    private bool ReadInput(uint events)
    {
        if (Stdin && !hub.AcceptsStdin) return true;
        var buffer = ReadBuffer.Shared;
        int n = Fd.Read(fd, buffer);
        if (n > 0)
        {
            if (Stdin) hub.OnStdinData(buffer[..n]);
            return true;
        }
        if (n == -Libc.EAGAIN) return true;
        if (n < 0)
        {
            hub.Drop(this);
            return false;
        }
        if ((events & PollEvents.HangUp) != 0)
        {
            // Closed outright rather than half-closed: the client detached (detach keys) or vanished, which is not
            // the end of its input, so a StdinOnce container keeps its stdin for the next attacher (as Docker's).
            hub.Drop(this);
            return false;
        }
        _readEnded = true;
        UpdateInterest();
        if (Stdin) hub.OnStdinEnded();
        return !Closed;
    }

    private sealed class OutputWatcher(Attacher attacher) : IPollHandler
    {
        public void OnPoll(uint events) => attacher.OnOutputPoll(events);
    }
}
