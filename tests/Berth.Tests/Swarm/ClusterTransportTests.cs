using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Api;
using Berth.Engine.Swarm;
using Berth.Engine.Swarm.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>The cluster transport in one process: tokens, certificates, and the manager's HTTP through a worker's tunnel.</summary>
public sealed class ClusterTransportTests
{
    [Fact]
    public void A_join_token_names_the_digest_of_its_CA()
    {
        using var ca = NewCa();
        string token = SwarmIds.NewJoinToken(ca.RawData);
        Assert.True(SwarmIds.TryParseJoinToken(token, out byte[] digest));
        Assert.Equal(SHA256.HashData(ca.RawData), digest);
        Assert.NotNull(ClusterCertificates.MatchingCa(ca.ExportCertificatePem(), digest));
        using var other = NewCa();
        Assert.Null(ClusterCertificates.MatchingCa(other.ExportCertificatePem(), digest));
        foreach (string bad in new[] { "", "foo", "SWMTKN-2-" + token[9..], token[..^1], token.Replace('-', '_') })
            Assert.False(SwarmIds.TryParseJoinToken(bad, out _));
    }

    [Fact]
    public void The_manager_certificate_chains_to_its_CA_only()
    {
        using var ca = NewCa();
        using var other = NewCa();
        using var manager = ClusterCertificates.IssueManager(ca, "node1", "cluster1");
        Assert.True(manager.HasPrivateKey);
        Assert.Contains("CN=node1", manager.Subject);
        Assert.True(ClusterCertificates.IsSignedBy(manager, ca));
        Assert.False(ClusterCertificates.IsSignedBy(manager, other));
    }

    [Fact]
    public async Task A_tunnel_carries_the_managers_requests_to_the_worker_daemon()
    {
        using var ca = NewCa();
        using var certificate = ClusterCertificates.IssueManager(ca, "manager1", "cluster1");
        var members = new FakeMembers();
        await using var server = ClusterServer.Start(new IPEndPoint(IPAddress.Loopback, 0), certificate,
            X509CertificateLoader.LoadCertificate(ca.RawData), members, NullLogger.Instance);
        string agentPath = Path.Combine(Path.GetTempPath(), $"agent-{Guid.NewGuid():N}.sock");
        using var agentServer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        agentServer.Bind(new UnixDomainSocketEndPoint(agentPath));
        agentServer.Listen(16);
        _ = ServeHttpAsync(agentServer);
        try
        {
            var membership = new WorkerMembership
            {
                NodeID = "worker1", NodeSecret = "secret", TrustRoot = ca.ExportCertificatePem(),
                Managers = [new SwarmPeer { NodeID = "manager1", Addr = $"127.0.0.1:{server.Port}" }],
            };
            await using var agent = new WorkerAgent(membership, agentPath, () => Task.CompletedTask, NullLogger.Instance);
            agent.Start();
            // The tunnel is registered a moment before the members hear of it: wait for both.
            for (var deadline = DateTime.UtcNow.AddSeconds(10);
                 !(server.Tunnels.IsConnected("worker1") && members.HasConnected("worker1")) && DateTime.UtcNow < deadline;)
                await Task.Delay(50);
            Assert.True(server.Tunnels.IsConnected("worker1"));
            Assert.True(members.HasConnected("worker1"));
            var client = server.Tunnels.ClientFor("worker1")!;
            Assert.Same(client, server.Tunnels.ClientFor("worker1"));
            Assert.Equal("OK /_ping", await client.GetStringAsync("/_ping"));
            var posted = await client.PostAsync("/_swarm/assignments", new StringContent("{}"));
            Assert.Equal("OK /_swarm/assignments", await posted.Content.ReadAsStringAsync());
            Assert.Null(server.Tunnels.ClientFor("nobody"));
            Assert.False(server.Tunnels.IsConnected("nobody"));

            server.Disconnect("worker1");
            Assert.False(server.Tunnels.IsConnected("worker1"));
        }
        finally
        {
            File.Delete(agentPath);
        }
    }

    [Fact]
    public async Task A_worker_with_a_wrong_secret_gets_no_control_connection()
    {
        using var ca = NewCa();
        using var certificate = ClusterCertificates.IssueManager(ca, "manager1", "cluster1");
        var members = new FakeMembers();
        await using var server = ClusterServer.Start(new IPEndPoint(IPAddress.Loopback, 0), certificate,
            X509CertificateLoader.LoadCertificate(ca.RawData), members, NullLogger.Instance);
        var hello = new ClusterHello { Kind = ClusterHello.Control, NodeID = "worker1", NodeSecret = "wrong" };
        var (stream, _, reply) = await ClusterDialer.OpenAsync($"127.0.0.1:{server.Port}", hello, ClusterCertificates.TrustPinned(ca), CancellationToken.None);
        await stream.DisposeAsync();
        Assert.Equal(403, reply.Status);
        Assert.False(server.Tunnels.IsConnected("worker1"));
        // A certificate from another CA is refused by the worker before it says anything.
        using var other = NewCa();
        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() =>
            ClusterDialer.OpenAsync($"127.0.0.1:{server.Port}", hello, ClusterCertificates.TrustPinned(other), CancellationToken.None));
    }

    [Fact]
    public async Task A_silent_control_connection_is_closed_and_its_node_goes_down()
    {
        using var ca = NewCa();
        using var certificate = ClusterCertificates.IssueManager(ca, "manager1", "cluster1");
        var members = new FakeMembers { Period = TimeSpan.FromMilliseconds(200) };
        await using var server = ClusterServer.Start(new IPEndPoint(IPAddress.Loopback, 0), certificate,
            X509CertificateLoader.LoadCertificate(ca.RawData), members, NullLogger.Instance);
        var hello = new ClusterHello { Kind = ClusterHello.Control, NodeID = "worker1", NodeSecret = "secret" };
        var (stream, _, reply) = await ClusterDialer.OpenAsync($"127.0.0.1:{server.Port}", hello, ClusterCertificates.TrustPinned(ca), CancellationToken.None);
        await using (stream)
        {
            Assert.Null(reply.Error);
            Assert.True(server.Tunnels.IsConnected("worker1"));
            // No heartbeat comes: after three periods the manager hangs up.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await stream.ReadAsync(new byte[1], limit.Token));
        }
        // The hang-up comes first, the node's fall right after it.
        for (var deadline = DateTime.UtcNow.AddSeconds(5); members.Downs.Count == 0 && DateTime.UtcNow < deadline;) await Task.Delay(20);
        Assert.Equal(["worker1: heartbeat failure"], members.Downs);
        Assert.False(server.Tunnels.IsConnected("worker1"));
    }

    [Fact]
    public void Host_and_port_split_as_swarm_addresses_are_written()
    {
        Assert.Equal(("10.0.0.1", 2377), ClusterDialer.SplitHostPort("10.0.0.1"));
        Assert.Equal(("10.0.0.1", 4000), ClusterDialer.SplitHostPort("10.0.0.1:4000"));
        Assert.Equal(("::1", 4000), ClusterDialer.SplitHostPort("[::1]:4000"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 2377), SwarmManager.ListenEndpoint(""));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5000), SwarmManager.ListenEndpoint("127.0.0.1:5000"));
    }

    private static X509Certificate2 NewCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=swarm-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A stand-in for the worker's daemon: answers every request with "OK" and its path, keeping the connection.</summary>
    private static async Task ServeHttpAsync(Socket listener)
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                await using var stream = new NetworkStream(connection, ownsSocket: true);
                var buffer = new byte[8192];
                var request = new StringBuilder();
                try
                {
                    while (true)
                    {
                        int read = await stream.ReadAsync(buffer);
                        if (read == 0) return;
                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        string text = request.ToString();
                        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                        if (end < 0) continue;
                        int length = 0;
                        foreach (string line in text[..end].Split("\r\n"))
                            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
                        if (text.Length < end + 4 + length) continue;
                        string body = "OK " + text.Split(' ')[1];
                        request.Clear().Append(text[(end + 4 + length)..]);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
                    }
                }
                catch (IOException)
                {
                }
            });
        }
    }

    private sealed class FakeMembers : IClusterMembers
    {
        public List<string> Connections { get; } = [];

        public bool HasConnected(string nodeId)
        {
            lock (Connections) return Connections.Contains(nodeId);
        }

        public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(5);

        public List<string> Downs { get; } = [];

        public TimeSpan HeartbeatPeriod => Period;

        public ClusterReply Join(ClusterHello hello, string remoteAddress) => new() { Error = "no joins here", Status = 400 };

        public ClusterReply? Authenticate(string nodeId, string secret) =>
            nodeId == "worker1" && secret == "secret" ? null : new ClusterReply { Error = "invalid node credentials", Status = 403 };

        public void Connected(string nodeId)
        {
            lock (Connections) Connections.Add(nodeId);
        }

        public void Disconnected(string nodeId, string message)
        {
            lock (Downs) Downs.Add($"{nodeId}: {message}");
        }

        public void Left(string nodeId)
        {
        }

        public IReadOnlyList<string> ReadyWorkers()
        {
            lock (Downs) lock (Connections) return Connections.Count > Downs.Count ? ["worker1"] : [];
        }
    }
}
