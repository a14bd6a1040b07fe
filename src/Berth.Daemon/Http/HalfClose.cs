using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

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

    /// <summary>From now on a FIN from the client ends only its input, not the connection.</summary>
    public void HideClientFin() => Hiding = true;

    internal void SignalClientFinished() => _clientFinished.TrySetResult();

    /// <summary>
    /// Kestrel connection middleware that installs the wrapper on every connection. Kestrel aborts a request when the
    /// transport reports the connection closed, which the socket transport does on a FIN; the wrapped context reports
    /// it only while nothing hides the FIN.
    /// </summary>
    public static void Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => async connection =>
        {
            var feature = new HalfCloseFeature();
            connection.Features.Set(feature);
            await using var wrapped = new HalfCloseConnection(connection, feature);
            await next(wrapped);
        });

    private sealed class HalfCloseConnection : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly CancellationTokenSource _closed = new();
        private readonly CancellationTokenRegistration _registration;

        public HalfCloseConnection(ConnectionContext inner, HalfCloseFeature feature)
        {
            _inner = inner;
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
        public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);
        public override void Abort() => _inner.Abort();

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
        public PipeWriter Output => inner.Output;
    }

    private sealed class HalfCloseReader(PipeReader inner, HalfCloseFeature feature) : PipeReader
    {
        private readonly TaskCompletionSource<bool> _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
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

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead()
        {
            _parked.TrySetResult(true);
            inner.CancelPendingRead();
        }

        public override void Complete(Exception? exception = null)
        {
            _parked.TrySetResult(true);
            inner.Complete(exception);
        }
    }
}
