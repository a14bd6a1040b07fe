using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>
/// A worker's links to its manager, for as long as it is in the swarm: one control connection with a heartbeat every
/// second, and a few idle tunnels the manager can send requests down (to this daemon's private agent socket). Both
/// reconnect after 1 s, waiting longer each time up to 5 s, for as long as the manager is unreachable.
/// </summary>
public sealed class WorkerAgent : IAsyncDisposable
{
    private const int IdleTunnels = 2, MaxTunnels = 16;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LastRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private readonly WorkerMembership _membership;
    private readonly string _agentSocket;
    private readonly Func<Task> _removed;
    private readonly ILogger _logger;
    private readonly X509Certificate2 _ca;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _tunnelUsed = new(0);
    private int _idle, _live;

    /// <param name="removed">Called once the manager says this node was removed from the swarm.</param>
    public WorkerAgent(WorkerMembership membership, string agentSocket, Func<Task> removed, ILogger logger)
    {
        _membership = membership;
        _agentSocket = agentSocket;
        _removed = removed;
        _logger = logger;
        _ca = X509Certificate2.CreateFromPem(membership.TrustRoot);
    }

    /// <summary>Whether the control connection is up now.</summary>
    public bool Connected { get; private set; }

    public void Start()
    {
        _ = ControlLoopAsync(_stop.Token);
        _ = TunnelLoopAsync(_stop.Token);
    }

    /// <summary>Tells the manager this node leaves (best effort: an unreachable manager is not waited for long).</summary>
    public async Task SayLeaveAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        foreach (string address in Addresses())
        {
            try
            {
                var (stream, _, _) = await ClusterDialer.OpenAsync(address, Hello(ClusterHello.Leave), Validate, limit.Token);
                await stream.DisposeAsync();
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                or InvalidDataException or System.Text.Json.JsonException)
            {
                if (limit.IsCancellationRequested) return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Connected = false;
    }

    private async Task ControlLoopAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (string address in Addresses())
            {
                try
                {
                    var (stream, _, reply) = await ClusterDialer.OpenAsync(address, Hello(ClusterHello.Control), Validate, cancellationToken);
                    await using (stream)
                    {
                        if (reply.Removed)
                        {
                            _logger.LogWarning("the swarm's manager removed this node: leaving the swarm");
                            await _stop.CancelAsync();
                            await _removed();
                            return;
                        }
                        if (reply.Error is not null)
                        {
                            _logger.LogWarning("the swarm's manager refused this node: {Error}", reply.Error);
                            break;
                        }
                        retry = FirstRetry;
                        Connected = true;
                        await HeartbeatsAsync(stream, cancellationToken);
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                    or InvalidDataException or System.Text.Json.JsonException or ObjectDisposedException)
                {
                    _logger.LogDebug("swarm control connection to {Address}: {Error}", address, e.Message);
                }
                finally
                {
                    Connected = false;
                }
                if (cancellationToken.IsCancellationRequested) return;
            }
            try
            {
                await Task.Delay(retry, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private static async Task HeartbeatsAsync(SslStream stream, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        do
        {
            await ClusterWire.WriteAsync(stream, new ClusterHeartbeat(), ClusterJsonContext.Default.ClusterHeartbeat, cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            if (await ClusterWire.ReadAsync(stream, ClusterJsonContext.Default.ClusterHeartbeat, limit.Token) is null) return;
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Keeps <see cref="IdleTunnels"/> tunnels idle at the manager, opening one whenever one gets used.</summary>
    private async Task TunnelLoopAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Volatile.Read(ref _idle) >= IdleTunnels || Volatile.Read(ref _live) >= MaxTunnels)
            {
                try
                {
                    await _tunnelUsed.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            bool opened = false;
            foreach (string address in Addresses())
            {
                try
                {
                    var (stream, _, reply) = await ClusterDialer.OpenAsync(address, Hello(ClusterHello.Tunnel), Validate, cancellationToken);
                    if (reply.Error is not null)
                    {
                        await stream.DisposeAsync();
                        break;
                    }
                    Interlocked.Increment(ref _idle);
                    Interlocked.Increment(ref _live);
                    _ = ServeTunnelAsync(stream, cancellationToken);
                    opened = true;
                    break;
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                    or InvalidDataException or System.Text.Json.JsonException)
                {
                    if (cancellationToken.IsCancellationRequested) return;
                }
            }
            if (opened)
            {
                retry = FirstRetry;
                continue;
            }
            try
            {
                await Task.Delay(retry, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>Waits for the manager's first byte, then joins the tunnel to a fresh connection to the agent socket.</summary>
    private async Task ServeTunnelAsync(SslStream tunnel, CancellationToken cancellationToken)
    {
        bool idle = true;
        try
        {
            byte[] first = new byte[1];
            int read = await tunnel.ReadAsync(first, cancellationToken);
            Interlocked.Decrement(ref _idle);
            idle = false;
            _tunnelUsed.Release();
            if (read == 0) return;
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agentSocket), cancellationToken);
            var agent = new NetworkStream(socket, ownsSocket: true);
            await agent.WriteAsync(first, cancellationToken);
            await TunnelPump.RunAsync(tunnel, agent, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("swarm tunnel ended: {Error}", e.Message);
        }
        finally
        {
            if (idle)
            {
                Interlocked.Decrement(ref _idle);
                _tunnelUsed.Release();
            }
            Interlocked.Decrement(ref _live);
            await tunnel.DisposeAsync();
        }
    }

    private ClusterHello Hello(string kind) => new() { Kind = kind, NodeID = _membership.NodeID, NodeSecret = _membership.NodeSecret };

    private RemoteCertificateValidationCallback Validate => ClusterCertificates.TrustPinned(_ca);

    /// <summary>The managers' own addresses first, then the one the join dialled.</summary>
    private IEnumerable<string> Addresses() =>
        _membership.Managers.Select(m => m.Addr).Append(_membership.JoinAddr).Where(a => !string.IsNullOrEmpty(a)).Distinct();
}
