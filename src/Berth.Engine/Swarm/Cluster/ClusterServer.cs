using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>
/// The manager's end of the cluster transport: TLS on the swarm listen address, one hello line per connection (join,
/// control, tunnel, leave) and one reply line. It keeps each worker's control connection and notices silence; what a
/// hello means for the swarm's objects is the <see cref="IClusterMembers"/>'s business.
/// </summary>
public sealed class ClusterServer : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _listener;
    private readonly SslStreamCertificateContext _certificate;
    private readonly string _trustRoot;
    private readonly IClusterMembers _members;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ControlSession> _sessions = [];
    private readonly Dictionary<string, DateTime> _lastSeen = [];
    private readonly DateTime _startedAt = DateTime.UtcNow;

    private ClusterServer(Socket listener, X509Certificate2 certificate, X509Certificate2 ca, IClusterMembers members, ILogger logger)
    {
        _listener = listener;
        _certificate = SslStreamCertificateContext.Create(certificate, [ca], offline: true);
        _trustRoot = ca.ExportCertificatePem() + "\n";
        _members = members;
        _logger = logger;
    }

    public ClusterTunnels Tunnels { get; } = new();

    /// <summary>The port the listener got (the requested one, or the kernel's choice for port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Binds the listen address at once (so a busy port fails the init that asked for it) and starts serving.</summary>
    public static ClusterServer Start(IPEndPoint endpoint, X509Certificate2 certificate, X509Certificate2 ca, IClusterMembers members, ILogger logger)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone, as Go's listeners set it: a restarted manager rebinds over its old connections in
            // TIME_WAIT, while a port another process listens on stays refused (.NET's ReuseAddress would also set
            // SO_REUSEPORT and share it).
            const int SolSocket = 1, SoReuseAddr = 2;
            listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(endpoint);
            listener.Listen(128);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            string reason = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "cannot assign requested address",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message,
            };
            throw BerthException.Internal($"manager stopped: failed to listen on remote API address: listen tcp {endpoint}: bind: {reason}");
        }
        var server = new ClusterServer(listener, certificate, ca, members, logger);
        _ = server.AcceptLoopAsync();
        _ = server.WatchLoopAsync();
        return server;
    }

    /// <summary>Closes the control connection of a node (left, removed): it goes down at once.</summary>
    public void Disconnect(string nodeId)
    {
        ControlSession? session;
        lock (_gate) _sessions.Remove(nodeId, out session);
        session?.Close();
        Tunnels.SetConnected(nodeId, false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        ControlSession[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions.Values];
            _sessions.Clear();
        }
        foreach (var session in sessions) session.Close();
        Tunnels.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        bool keep = false;
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                handshake.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, handshake.Token);
            }
            var hello = await ClusterWire.ReadAsync(tls, ClusterJsonContext.Default.ClusterHello, HandshakeTimeout, _stop.Token);
            if (hello is null) return;
            string remote = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
            switch (hello.Kind)
            {
                case ClusterHello.RootCA:
                    await ReplyAsync(tls, new ClusterReply { TrustRoot = _trustRoot });
                    break;
                case ClusterHello.Join:
                    var joined = _members.Join(hello, remote);
                    if (joined.Error is null) Seen(joined.NodeID!);
                    await ReplyAsync(tls, joined);
                    break;
                case ClusterHello.Leave:
                    if (await RefusedAsync(tls, hello)) return;
                    Disconnect(hello.NodeID!);
                    _members.Left(hello.NodeID!);
                    await ReplyAsync(tls, new ClusterReply());
                    break;
                case ClusterHello.Tunnel:
                    if (await RefusedAsync(tls, hello)) return;
                    await ReplyAsync(tls, new ClusterReply());
                    Tunnels.Offer(hello.NodeID!, socket, tls);
                    keep = true;
                    break;
                case ClusterHello.Control:
                    if (await RefusedAsync(tls, hello)) return;
                    await ReplyAsync(tls, new ClusterReply());
                    await ControlAsync(hello.NodeID!, tls);
                    break;
                default:
                    await ReplyAsync(tls, new ClusterReply { Error = $"unknown hello \"{hello.Kind}\"", Status = 400 });
                    break;
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or InvalidDataException
            or System.Text.Json.JsonException or ObjectDisposedException or SocketException)
        {
            _logger.LogDebug("swarm connection from {Remote} ended: {Error}", socket.RemoteEndPoint, e.Message);
        }
        finally
        {
            if (!keep) await tls.DisposeAsync();
        }
    }

    /// <summary>Answers a hello that names a node with the refusal, if the node is unknown, removed or not who it says.</summary>
    private async Task<bool> RefusedAsync(SslStream tls, ClusterHello hello)
    {
        var refusal = _members.Authenticate(hello.NodeID ?? "", hello.NodeSecret ?? "");
        if (refusal is null) return false;
        await ReplyAsync(tls, refusal);
        return true;
    }

    /// <summary>The node is ready while this connection lives and heartbeats come; it goes down when either stops.</summary>
    private async Task ControlAsync(string nodeId, SslStream tls)
    {
        var session = new ControlSession(tls);
        ControlSession? replaced;
        lock (_gate)
        {
            _sessions.Remove(nodeId, out replaced);
            _sessions[nodeId] = session;
        }
        replaced?.Close();
        Seen(nodeId);
        Tunnels.SetConnected(nodeId, true);
        _members.Connected(nodeId);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var beat = await ClusterWire.ReadAsync(tls, ClusterJsonContext.Default.ClusterHeartbeat, session.Closing);
                if (beat is null) break;
                Seen(nodeId);
                await ClusterWire.WriteAsync(tls, new ClusterHeartbeat { PeriodMilliseconds = (long)_members.HeartbeatPeriod.TotalMilliseconds },
                    ClusterJsonContext.Default.ClusterHeartbeat, session.Closing);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidDataException or System.Text.Json.JsonException
            or ObjectDisposedException)
        {
        }
        finally
        {
            bool current;
            lock (_gate)
            {
                current = _sessions.TryGetValue(nodeId, out var now) && now == session;
                if (current) _sessions.Remove(nodeId);
            }
            // A newer connection of the same node took over: the node stays ready.
            if (current && !_stop.IsCancellationRequested)
            {
                Tunnels.SetConnected(nodeId, false);
                _members.Disconnected(nodeId, "heartbeat failure");
            }
        }
    }

    /// <summary>Once a second: a node silent for three heartbeat periods is down (connected or not).</summary>
    private async Task WatchLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var limit = _members.HeartbeatPeriod * 3;
                var now = DateTime.UtcNow;
                foreach (string nodeId in _members.ReadyWorkers())
                {
                    ControlSession? session;
                    DateTime seen;
                    lock (_gate)
                    {
                        _sessions.TryGetValue(nodeId, out session);
                        seen = _lastSeen.GetValueOrDefault(nodeId, _startedAt);
                    }
                    if (now - seen <= limit) continue;
                    if (session is not null)
                    {
                        session.Close(); // its loop ends and marks the node down
                    }
                    else
                    {
                        _members.Disconnected(nodeId, "heartbeat failure");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Seen(string nodeId)
    {
        lock (_gate) _lastSeen[nodeId] = DateTime.UtcNow;
    }

    private Task ReplyAsync(SslStream tls, ClusterReply reply) =>
        ClusterWire.WriteAsync(tls, reply, ClusterJsonContext.Default.ClusterReply, _stop.Token);

    private sealed class ControlSession(SslStream stream)
    {
        private readonly CancellationTokenSource _closing = new();

        public CancellationToken Closing => _closing.Token;

        public void Close()
        {
            try
            {
                _closing.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            stream.Dispose();
        }
    }
}

/// <summary>What the cluster transport asks of the swarm's membership (the manager implements it).</summary>
public interface IClusterMembers
{
    /// <summary>The cluster's Dispatcher.HeartbeatPeriod: a node silent for three of them is down.</summary>
    TimeSpan HeartbeatPeriod { get; }

    /// <summary>A join hello: the new node's reply, or the refusal.</summary>
    ClusterReply Join(ClusterHello hello, string remoteAddress);

    /// <summary>Null when the node exists and the secret is its own; else the reply that refuses it.</summary>
    ClusterReply? Authenticate(string nodeId, string secret);

    void Connected(string nodeId);

    void Disconnected(string nodeId, string message);

    void Left(string nodeId);

    /// <summary>The worker nodes whose status is "ready" (the watchdog checks their heartbeats).</summary>
    IReadOnlyList<string> ReadyWorkers();
}
