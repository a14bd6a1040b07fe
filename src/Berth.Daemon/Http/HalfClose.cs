using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Daemon.Http;

/// <summary>
/// Lets a hijacked connection outlive the client's half-close. The docker CLI closes its sending side as soon as it
/// has no more stdin (at once when there is none) and keeps reading the container's output; Kestrel treats any FIN
/// from the client as the end of the connection and aborts it. Once a handler asks for it, this transport wrapper
/// hides the FIN from Kestrel and reports it through <see cref="ClientFinished"/> instead.
/// </summary>
public sealed class HalfCloseFeature
{
    private readonly TaskCompletionSource _clientFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the client half-closed after <see cref="HideClientFin"/> was called.</summary>
    public Task ClientFinished => _clientFinished.Task;

    internal bool Hiding { get; private set; }

    /// <summary>Set once a handler has taken the raw connection over (<see cref="TakeOverAsync"/>).</summary>
    internal bool TakenOver { get; private set; }

    /// <summary>Completes when the taken-over stream has been disposed: Kestrel may then end the connection.</summary>
    internal Task TakeOverEnded => _takeOverEnded.Task;

    internal IDuplexPipe? RawTransport { get; set; }

    /// <summary>The connection's socket when output may be written to it directly (no TLS in between), else null.</summary>
    internal Socket? DirectSocket { get; set; }

    private readonly TaskCompletionSource _takeOverEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>From now on a FIN from the client ends only its input, not the connection.</summary>
    public void HideClientFin() => Hiding = true;

    internal void SignalClientFinished() => _clientFinished.TrySetResult();

    /// <summary>
    /// Hijacks a connection whose request Kestrel will not upgrade because it had a body (docker's exec start sends
    /// JSON with <c>Upgrade: tcp</c>; Kestrel ignores the upgrade then). Once the body has been read, the handler writes
    /// <paramref name="responseHead"/> itself and gets the raw connection: reads end at the client's half-close, and
    /// whatever Kestrel writes afterwards is discarded. Disposing the stream closes the connection.
    /// </summary>
    public async Task<Stream> TakeOverAsync(string responseHead, CancellationToken cancellationToken)
    {
        var raw = RawTransport ?? throw new InvalidOperationException("no transport to take over");
        HideClientFin();
        TakenOver = true;
        var head = System.Text.Encoding.ASCII.GetBytes(responseHead);
        if (DirectSocket is { } socket)
        {
            // Straight to the socket: the shim writes the output that follows to it too, so nothing may wait in Kestrel's pipe.
            await socket.SendAsync(head, SocketFlags.None, cancellationToken);
            return new TakenOverStream(raw, () => _takeOverEnded.TrySetResult(), socket);
        }
        var stream = new TakenOverStream(raw, () => _takeOverEnded.TrySetResult(), null);
        await stream.WriteAsync(head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        return stream;
    }

    /// <summary>Whether <see cref="TakeOverAsync"/> gives a stream whose output may go to its socket directly.</summary>
    public bool CanWriteDirectly => DirectSocket is not null && RawTransport is not null;

    /// <summary>
    /// Kestrel connection middleware that installs the wrapper on every connection. Kestrel aborts a request when the
    /// transport reports the connection closed, which the socket transport does on a FIN; the wrapped context reports
    /// it only while nothing hides the FIN.
    /// </summary>
    public static void Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => Install(listen, directOutput: true);

    /// <summary>As <see cref="Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions)"/>; <paramref name="directOutput"/>
    /// false where the socket carries TLS (output must then go through Kestrel's encryption).</summary>
    public static void Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen, bool directOutput) =>
        listen.Use(next => async connection =>
        {
            var feature = new HalfCloseFeature
            {
                RawTransport = connection.Transport,
                DirectSocket = directOutput ? connection.Features.Get<IConnectionSocketFeature>()?.Socket : null,
            };
            connection.Features.Set(feature);
            await using var wrapped = new HalfCloseConnection(connection, feature);
            await next(wrapped);
        });

    private sealed class HalfCloseConnection : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly CancellationTokenSource _closed = new();
        private readonly CancellationTokenRegistration _registration;
        private readonly HalfCloseFeature _feature;

        public HalfCloseConnection(ConnectionContext inner, HalfCloseFeature feature)
        {
            _inner = inner;
            _feature = feature;
            Transport = new HalfCloseTransport(inner.Transport, feature);
            _registration = inner.ConnectionClosed.Register(() =>
            {
                if (!feature.Hiding) _closed.Cancel();
            });
        }

        public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }
        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => _inner.Features;
        public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }
        public override IDuplexPipe Transport { get; set; }
        public override CancellationToken ConnectionClosed { get => _closed.Token; set { } }
        public override System.Net.EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }
        public override System.Net.EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }
        // Kestrel aborts a connection whose input ended; a taken-over one closes by itself once its output is sent.
        public override void Abort(ConnectionAbortedException abortReason)
        {
            if (!_feature.TakenOver) _inner.Abort(abortReason);
        }

        public override void Abort()
        {
            if (!_feature.TakenOver) _inner.Abort();
        }

        public override async ValueTask DisposeAsync()
        {
            await _registration.DisposeAsync();
            _closed.Cancel();
            _closed.Dispose();
        }
    }

    private sealed class HalfCloseTransport(IDuplexPipe inner, HalfCloseFeature feature) : IDuplexPipe
    {
        public PipeReader Input { get; } = new HalfCloseReader(inner.Input, feature);
        public PipeWriter Output { get; } = new SeverableWriter(inner.Output, feature);
    }

    private sealed class HalfCloseReader(PipeReader inner, HalfCloseFeature feature) : PipeReader
    {
        private readonly TaskCompletionSource<bool> _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (feature.TakenOver)
            {
                // The handler owns the input now; Kestrel learns the connection is over once the handler is done.
                await feature.TakeOverEnded.WaitAsync(cancellationToken);
                return new ReadResult(default, isCanceled: false, isCompleted: true);
            }
            var result = await inner.ReadAsync(cancellationToken);
            if (!result.IsCompleted || !feature.Hiding) return result;
            if (!result.Buffer.IsEmpty) return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
            feature.SignalClientFinished();
            // Park until Kestrel cancels the read (connection shutting down); the output side stays usable meanwhile.
            using var registration = cancellationToken.Register(() => _parked.TrySetResult(true));
            await _parked.Task;
            return new ReadResult(result.Buffer, isCanceled: true, isCompleted: false);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (feature.TakenOver)
            {
                result = default;
                return false;
            }
            if (!inner.TryRead(out result)) return false;
            if (!result.IsCompleted || !feature.Hiding) return true;
            if (!result.Buffer.IsEmpty)
            {
                result = new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
                return true;
            }
            inner.AdvanceTo(result.Buffer.Start);
            return false;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            if (!feature.TakenOver) inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            if (!feature.TakenOver) inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead()
        {
            _parked.TrySetResult(true);
            inner.CancelPendingRead();
        }

        public override void Complete(Exception? exception = null)
        {
            _parked.TrySetResult(true);
            if (!feature.TakenOver) inner.Complete(exception);
        }
    }

    /// <summary>Kestrel's output, cut off once a handler has taken the connection over (its late response goes nowhere).</summary>
    private sealed class SeverableWriter(PipeWriter inner, HalfCloseFeature feature) : PipeWriter
    {
        private byte[] _scratch = [];

        public override void Advance(int bytes)
        {
            if (!feature.TakenOver) inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => feature.TakenOver ? Scratch(sizeHint) : inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => feature.TakenOver ? Scratch(sizeHint).Span : inner.GetSpan(sizeHint);

        public override void CancelPendingFlush()
        {
            if (!feature.TakenOver) inner.CancelPendingFlush();
        }

        public override void Complete(Exception? exception = null)
        {
            if (!feature.TakenOver) inner.Complete(exception);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            feature.TakenOver ? new ValueTask<FlushResult>(new FlushResult(false, true)) : inner.FlushAsync(cancellationToken);

        private Memory<byte> Scratch(int sizeHint)
        {
            if (_scratch.Length < Math.Max(sizeHint, 4096)) _scratch = new byte[Math.Max(sizeHint, 4096)];
            return _scratch;
        }
    }

    /// <summary>The raw connection as a stream: reads from the client until its half-close, writes to it; dispose closes it.</summary>
    private sealed class TakenOverStream(IDuplexPipe raw, Action disposed, Socket? directSocket) : Stream, IDirectOutput
    {
        public Socket? DirectSocket => directSocket;

        private readonly Stream _input = raw.Input.AsStream(leaveOpen: true);
        private readonly Stream _output = raw.Output.AsStream(leaveOpen: true);
        private int _disposed;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Flush() => _output.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await raw.Output.CompleteAsync();
            // Kestrel aborts the socket when told the connection is over, losing what the transport has not sent yet.
            // The transport shuts the socket down once it has sent everything, and the client closes on end of
            // output: either ends the input, which is when Kestrel may have the connection back (2 s at most).
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                while (true)
                {
                    var result = await raw.Input.ReadAsync(timeout.Token);
                    raw.Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled) break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                // gone or too slow: let Kestrel close it
            }
            await raw.Input.CompleteAsync();
            disposed();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) DisposeAsync().AsTask().GetAwaiter().GetResult();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A hijacked client stream whose output may be written to <see cref="DirectSocket"/> directly (by the shim it is passed to).</summary>
public interface IDirectOutput
{
    Socket? DirectSocket { get; }
}
