using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Berth.Daemon.Http;

/// <summary>
/// A websocket attach seen as the duplex stream the attach splice works on: what the client sends is the
/// container's stdin, and each write of the container's output goes out as one message. Docker never multiplexes a
/// websocket attach, so with <c>demultiplex</c> the writes are Docker frames (a non-TTY container's attach stream)
/// and only their payloads are sent.
/// </summary>
public sealed class WebSocketAttachStream(WebSocket socket, WebSocketMessageType messageType, bool demultiplex) : Stream
{
    private const int HeaderSize = 8;

    /// <summary>Writes go out unchanged: for output that is raw already (a replayed log).</summary>
    public Stream Raw { get; } = WebSocketStream.Create(socket, messageType);

    private readonly byte[] _header = new byte[HeaderSize];
    private int _headerFilled;
    private long _payloadLeft;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;

    // Cancelling a websocket receive aborts the socket, and the close that ends the session could then no longer be
    // sent: a cancelled read leaves its receive pending (into a buffer of this stream's own) and the close goes out.
    private readonly byte[] _received = new byte[16 * 1024];
    private Task<int>? _receive;
    private int _receivedOffset, _receivedCount;

    /// <summary>Returns 0 once the client has sent its close message.</summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_receivedCount == 0)
        {
            _receive ??= Raw.ReadAsync(_received, CancellationToken.None).AsTask();
            _receivedCount = await _receive.WaitAsync(cancellationToken);
            _receivedOffset = 0;
            _receive = null;
            if (_receivedCount == 0) return 0;
        }
        int length = Math.Min(buffer.Length, _receivedCount);
        _received.AsMemory(_receivedOffset, length).CopyTo(buffer);
        _receivedOffset += length;
        _receivedCount -= length;
        return length;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!demultiplex)
        {
            await Raw.WriteAsync(buffer, cancellationToken);
            return;
        }
        while (buffer.Length > 0)
        {
            if (_payloadLeft == 0)
            {
                int take = Math.Min(HeaderSize - _headerFilled, buffer.Length);
                buffer.Span[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                buffer = buffer[take..];
                if (_headerFilled == HeaderSize)
                {
                    _payloadLeft = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
                    _headerFilled = 0;
                }
                continue;
            }
            int length = (int)Math.Min(_payloadLeft, buffer.Length);
            await Raw.WriteAsync(buffer[..length], cancellationToken);
            _payloadLeft -= length;
            buffer = buffer[length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends the session with a normal close, as dockerd's websocket does when the attach ends.</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            // the client went away first: nothing to tell it
        }
        if (_receive is { } receive)
        {
            // The client's answer to the close ends the pending receive; its outcome matters to no one now.
            _ = receive.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            try { await receive.WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception error) when (error is WebSocketException or TimeoutException or IOException or OperationCanceledException) { }
        }
        await Raw.DisposeAsync();
        socket.Dispose();
        await base.DisposeAsync();
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a websocket attach is asynchronous only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a websocket attach is asynchronous only");
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
