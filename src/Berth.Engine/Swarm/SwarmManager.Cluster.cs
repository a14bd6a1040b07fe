using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Api;
using Berth.Engine.Swarm.Cluster;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>The cluster transport's two ends: the manager's listener and the worker's agent, their start, join and leave.</summary>
public sealed partial class SwarmManager
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);
    private ClusterServer? _server;
    private WorkerAgent? _worker;

    /// <summary>Set by the daemon: the private socket the tunnels from the manager are joined to on a worker.</summary>
    public string AgentSocketPath { get; set; } = "";

    /// <summary>On the manager: the way to the workers' daemons (null when this daemon is no manager).</summary>
    public ClusterTunnels? Tunnels => _server?.Tunnels;

    /// <summary>On a worker: its membership (cluster, node ID, managers); null elsewhere.</summary>
    public WorkerMembership? Worker => _store.Worker;

    /// <summary>Whether this daemon is in a swarm at all, as its manager or as a worker.</summary>
    public bool InSwarm => _store.Active || _store.Worker is not null;

    private string ListenFile => Path.Combine(_store.Root, "listen-addr");

    /// <summary>At daemon start: a manager listens again where it listened, a worker reconnects to its manager.</summary>
    public void StartCluster()
    {
        if (_store.Active) _ = ListenAgainAsync();
        else if (_store.Worker is { } membership) StartWorker(membership);
    }

    /// <summary>POST /swarm/join: joins the swarm whose manager is at one of the remote addresses, as a worker.</summary>
    public async Task JoinAsync(SwarmJoinRequest request, CancellationToken cancellationToken)
    {
        if (InSwarm) throw SwarmErrors.AlreadyInSwarm();
        if (!SwarmIds.TryParseJoinToken(request.JoinToken, out byte[] caDigest)) throw BerthException.Internal("invalid join token");
        var remotes = request.RemoteAddrs?.Where(a => !string.IsNullOrWhiteSpace(a)).ToList() ?? [];
        if (remotes.Count == 0) throw BerthException.Invalid("at least 1 RemoteAddr is required to join");
        string availability = string.IsNullOrEmpty(request.Availability) ? "active" : request.Availability;
        if (availability is not ("active" or "pause" or "drain")) throw SwarmErrors.Invalid($"invalid availability \"{availability}\"");
        var hello = new ClusterHello
        {
            Kind = ClusterHello.Join, Token = request.JoinToken, Description = Describe(new TlsInfo()),
            AdvertiseAddr = request.AdvertiseAddr, Availability = availability,
        };
        var deadline = DateTime.UtcNow + JoinTimeout;
        while (true)
        {
            foreach (string remote in remotes)
            {
                ClusterReply reply;
                X509Certificate2 ca;
                try
                {
                    // As swarmkit does: fetch the CA first, check it against the token, and send the token only to a
                    // manager whose certificate that CA signed.
                    var fetched = await ClusterDialer.OpenAsync(remote, new ClusterHello { Kind = ClusterHello.RootCA }, ClusterCertificates.TrustAnyForCa, cancellationToken);
                    await fetched.Stream.DisposeAsync();
                    ca = ClusterCertificates.MatchingCa(fetched.Reply.TrustRoot, caDigest)
                        ?? throw BerthException.Internal($"remote CA does not match fingerprint. Expected: {Convert.ToHexStringLower(caDigest)}");
                    var opened = await ClusterDialer.OpenAsync(remote, hello, ClusterCertificates.TrustPinned(ca), cancellationToken);
                    await opened.Stream.DisposeAsync();
                    reply = opened.Reply;
                }
                catch (Exception e) when (e is IOException or SocketException or AuthenticationException or InvalidDataException
                    or System.Text.Json.JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    _logger.LogDebug("swarm join through {Remote}: {Error}", remote, e.Message);
                    continue;
                }
                if (reply.Error is not null) throw ReplyError(reply);
                var membership = new WorkerMembership
                {
                    ClusterID = reply.ClusterID ?? "", NodeID = reply.NodeID ?? "", NodeSecret = reply.NodeSecret ?? "",
                    NodeAddr = reply.NodeAddr ?? "", TrustRoot = ca.ExportCertificatePem() + "\n", Managers = reply.Managers ?? [], JoinAddr = remote,
                };
                _store.SetWorker(membership);
                SwarmErrors.ThisNodeIsWorker = true;
                StartWorker(membership);
                Orchestrator.Kick();
                return;
            }
            if (DateTime.UtcNow + TimeSpan.FromSeconds(1) > deadline) throw SwarmErrors.JoinTimeout(remotes);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static BerthException ReplyError(ClusterReply reply) => reply.Status switch
    {
        400 => BerthException.Invalid(reply.Error!),
        403 => BerthException.Forbidden(reply.Error!),
        404 => BerthException.NotFound(reply.Error!),
        501 => BerthException.NotImplemented(reply.Error!),
        503 => BerthException.Unavailable(reply.Error!),
        _ => BerthException.Internal(reply.Error!),
    };

    /// <summary>A worker leaves: tells the manager (unless the manager removed it), removes its task containers, forgets the swarm.</summary>
    private async Task LeaveAsWorkerAsync(bool tellManager, CancellationToken cancellationToken)
    {
        var worker = Interlocked.Exchange(ref _worker, null);
        if (worker is not null)
        {
            if (tellManager) await worker.SayLeaveAsync(cancellationToken);
            await worker.DisposeAsync();
        }
        await Orchestrator.RemoveAllTaskContainersAsync(cancellationToken);
        _store.Erase();
        SwarmErrors.ThisNodeIsWorker = false;
        Orchestrator.Networks?.RemoveSwarmNetworks();
        Orchestrator.Kick();
    }

    private void StartWorker(WorkerMembership membership)
    {
        var worker = new WorkerAgent(membership, AgentSocketPath, () => LeaveAsWorkerAsync(tellManager: false, CancellationToken.None), _logger);
        _worker = worker;
        worker.Start();
    }

    /// <summary>A manager restarted: its listener comes back on the address it had (retrying while the port is taken).</summary>
    private async Task ListenAgainAsync()
    {
        var cluster = _store.Cluster!;
        var node = _store.Node!;
        var endpoint = File.Exists(ListenFile) && IPEndPoint.TryParse(File.ReadAllText(ListenFile).Trim(), out var saved)
            ? saved : new IPEndPoint(IPAddress.Any, DefaultPort);
        for (int attempt = 0; _store.Active && _server is null; attempt++)
        {
            try
            {
                var certificate = ClusterCertificates.LoadOrCreateManager(_store.Root, cluster.TLSInfo.TrustRoot!, node.ID, cluster.ID);
                _server = ClusterServer.Start(endpoint, certificate, X509Certificate2.CreateFromPem(cluster.TLSInfo.TrustRoot!), this, _logger);
                return;
            }
            catch (BerthException e)
            {
                if (attempt == 0) _logger.LogError("swarm: cannot listen for other nodes: {Error}; retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }
    }

    private async Task StopServerAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null) await server.DisposeAsync();
    }

    /// <summary>The swarm listen address: "host:port", "host" (port 2377), an interface name, or nothing (0.0.0.0:2377).</summary>
    internal static IPEndPoint ListenEndpoint(string listen)
    {
        if (string.IsNullOrEmpty(listen)) return new IPEndPoint(IPAddress.Any, DefaultPort);
        var (host, port) = ClusterDialer.SplitHostPort(listen);
        if (host.Length == 0) return new IPEndPoint(IPAddress.Any, port);
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == host)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            ?? throw BerthException.Invalid($"failed to listen on remote API address: {listen}: must be a valid IP address or network interface");
        return new IPEndPoint(address.Address, port);
    }

    /// <summary>The port of an advertise address that names one.</summary>
    private static int? AdvertisePort(string advertise)
    {
        if (string.IsNullOrEmpty(advertise)) return null;
        bool hasPort = advertise.StartsWith('[') ? advertise.Contains("]:", StringComparison.Ordinal) : advertise.Count(c => c == ':') == 1;
        return hasPort ? ClusterDialer.SplitHostPort(advertise).Port : null;
    }

    private static string JoinHostPort(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    private static string Sha256Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}
