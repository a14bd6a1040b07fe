using System.Net.Sockets;
using System.Threading.Channels;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>
/// The manager's way to the workers' daemons. Workers keep idle tunnels open to the manager (it never dials them); a
/// request to a node takes one of that node's tunnels as its connection, with the manager as the HTTP client and the
/// worker's daemon (its private agent socket) as the server.
/// </summary>
public sealed class ClusterTunnels : IDisposable
{
    private static readonly TimeSpan TakeTimeout = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Channel<IdleTunnel>> _idle = [];
    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly HashSet<string> _connected = [];

    /// <summary>Whether the node's control connection is up (so its tunnels may be used).</summary>
    public bool IsConnected(string nodeId)
    {
        lock (_gate) return _connected.Contains(nodeId);
    }

    /// <summary>
    /// An HTTP client whose connections are the node's tunnels (base address http://swarm-node/, no overall timeout:
    /// callers pass their own cancellation); null while the node is not connected. One client per node, kept.
    /// </summary>
    public HttpClient? ClientFor(string nodeId)
    {
        lock (_gate)
        {
            if (!_connected.Contains(nodeId)) return null;
            if (_clients.TryGetValue(nodeId, out var client)) return client;
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) => await TakeAsync(nodeId, cancellationToken),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                UseProxy = false,
            };
            client = new HttpClient(handler) { BaseAddress = new Uri("http://swarm-node/"), Timeout = Timeout.InfiniteTimeSpan };
            _clients[nodeId] = client;
            return client;
        }
    }

    /// <summary>An idle tunnel of the node, waiting up to 5 s for one; tunnels the worker closed meanwhile are skipped.</summary>
    public async ValueTask<Stream> TakeAsync(string nodeId, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TakeTimeout);
        var channel = ChannelOf(nodeId);
        try
        {
            while (true)
            {
                if (!IsConnected(nodeId)) throw new HttpRequestException($"swarm node {nodeId} is not connected to the manager");
                var tunnel = await channel.Reader.ReadAsync(limit.Token);
                if (tunnel.IsAlive()) return tunnel.Stream;
                await tunnel.Stream.DisposeAsync();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"swarm node {nodeId} offered no tunnel within {TakeTimeout.TotalSeconds} s");
        }
    }

    /// <summary>A worker opened a tunnel (its hello was accepted): kept idle until a request needs it.</summary>
    internal void Offer(string nodeId, Socket socket, Stream stream)
    {
        if (!ChannelOf(nodeId).Writer.TryWrite(new IdleTunnel(socket, stream))) stream.Dispose();
    }

    internal void SetConnected(string nodeId, bool connected)
    {
        lock (_gate)
        {
            if (connected)
            {
                _connected.Add(nodeId);
                return;
            }
            _connected.Remove(nodeId);
        }
        Drop(nodeId);
    }

    /// <summary>
    /// The node is gone (left, removed, down): its idle tunnels are closed. Its client stays (a caller may hold it): its
    /// next connection fails until the node is back.
    /// </summary>
    internal void Drop(string nodeId)
    {
        var channel = ChannelOf(nodeId);
        while (channel.Reader.TryRead(out var tunnel)) tunnel.Stream.Dispose();
    }

    public void Dispose()
    {
        string[] nodes;
        HttpClient[] clients;
        lock (_gate)
        {
            nodes = [.. _idle.Keys];
            clients = [.. _clients.Values];
            _clients.Clear();
            _connected.Clear();
        }
        foreach (string node in nodes) Drop(node);
        foreach (var client in clients) client.Dispose();
    }

    private Channel<IdleTunnel> ChannelOf(string nodeId)
    {
        lock (_gate)
        {
            if (!_idle.TryGetValue(nodeId, out var channel))
                _idle[nodeId] = channel = Channel.CreateUnbounded<IdleTunnel>();
            return channel;
        }
    }

    private sealed record IdleTunnel(Socket Socket, Stream Stream)
    {
        /// <summary>An idle tunnel has nothing to read: readable means the worker closed it.</summary>
        public bool IsAlive()
        {
            try
            {
                return Socket.Connected && !Socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
