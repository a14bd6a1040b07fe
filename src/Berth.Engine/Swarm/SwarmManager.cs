using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Swarm.Cluster;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Swarm;

/// <summary>
/// Swarm mode. As the swarm's manager (its only one) this daemon keeps the cluster, node, service, task, secret and
/// config objects (<see cref="SwarmStore"/>), serves the cluster transport other daemons join through as workers
/// (<see cref="ClusterServer"/>), and its <see cref="Orchestrator"/> turns services into tasks and tasks into
/// containers. As a worker it keeps only its membership and its links to the manager (<see cref="WorkerAgent"/>).
/// </summary>
public sealed partial class SwarmManager
{
    public const int DefaultPort = 2377;
    private readonly SwarmStore _store;
    private readonly EventBus _events;
    private readonly SwarmNodeFacts _facts;
    private readonly ILogger _logger;

    public SwarmManager(SwarmStore store, ContainerService containers, Images.ImageStore images, EventBus events, SwarmNodeFacts facts, ILogger logger)
    {
        _store = store;
        _events = events;
        _facts = facts;
        _logger = logger;
        SwarmErrors.ThisNodeIsWorker = store.Worker is not null;
        Orchestrator = new Orchestrator(this, store, containers, images, events, logger);
    }

    public SwarmStore Store => _store;

    public Orchestrator Orchestrator { get; }

    public bool Active => _store.Active;

    /// <summary>The cluster with its join tokens (GET /swarm).</summary>
    public SwarmCluster Inspect() => _store.Cluster ?? throw SwarmErrors.NotManager();

    /// <summary>POST /swarm/init: a new swarm with this node as its manager; answers the node's ID.</summary>
    public string Init(SwarmInitRequest request)
    {
        if (_store.Active || _store.Worker is not null) throw SwarmErrors.AlreadyInSwarm();
        if (request.Spec?["EncryptionConfig"]?["AutoLockManagers"]?.GetValue<bool>() == true)
            throw BerthException.NotImplemented("autolock is not supported by berthd: the swarm's state is kept unencrypted on this node");
        string advertise = AdvertiseAddress(request.AdvertiseAddr, request.ListenAddr);
        var listen = ListenEndpoint(request.ListenAddr);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=swarm-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(20));
        byte[] caDer = ca.Export(X509ContentType.Cert);
        var tls = new TlsInfo
        {
            TrustRoot = ca.ExportCertificatePem() + "\n",
            CertIssuerSubject = Convert.ToBase64String(ca.SubjectName.RawData),
            CertIssuerPublicKey = Convert.ToBase64String(ca.PublicKey.ExportSubjectPublicKeyInfo()),
        };
        var cluster = new SwarmCluster
        {
            ID = SwarmIds.NewId(),
            Spec = ClusterSpecDefaults.Merge(request.Spec),
            TLSInfo = tls,
            DefaultAddrPool = request.DefaultAddrPool is { Count: > 0 } pool ? pool : ["10.0.0.0/8"],
            SubnetSize = request.SubnetSize == 0 ? 24 : request.SubnetSize,
            DataPathPort = request.DataPathPort == 0 ? 4789 : request.DataPathPort,
            JoinTokens = new JoinTokens { Worker = SwarmIds.NewJoinToken(caDer), Manager = SwarmIds.NewJoinToken(caDer) },
        };
        string nodeId = SwarmIds.NewId();
        var managerCertificate = ClusterCertificates.IssueManager(ca, nodeId, cluster.ID);
        // The listen address is bound before anything is written: a busy port fails the init and leaves nothing behind.
        _server = ClusterServer.Start(listen, managerCertificate, X509CertificateLoader.LoadCertificate(caDer), this, _logger);
        int port = AdvertisePort(request.AdvertiseAddr) ?? _server.Port;
        var node = new SwarmNode
        {
            ID = nodeId,
            Spec = new JsonObject { ["Labels"] = new JsonObject(), ["Role"] = "manager", ["Availability"] = "active" },
            Description = Describe(tls),
            Status = new NodeStatus { State = "ready", Addr = advertise },
            ManagerStatus = new ManagerStatus { Leader = true, Reachability = "reachable", Addr = JoinHostPort(advertise, port) },
        };
        Directory.CreateDirectory(_store.Root);
        File.SetUnixFileMode(_store.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ClusterCertificates.WritePrivate(Path.Combine(_store.Root, ClusterCertificates.CaKeyFile), caKey.ExportPkcs8PrivateKeyPem());
        ClusterCertificates.SaveManager(_store.Root, managerCertificate);
        File.WriteAllText(ListenFile, new IPEndPoint(listen.Address, _server.Port).ToString());
        _store.Create(cluster, node);
        _events.Publish("node", "create", node.ID, new Dictionary<string, string> { ["name"] = _facts.Hostname });
        Orchestrator.Kick();
        return node.ID;
    }

    /// <summary>POST /swarm/leave: removes every service's containers and forgets the swarm.</summary>
    public async Task LeaveAsync(bool force, CancellationToken cancellationToken)
    {
        if (_store.Worker is not null)
        {
            await LeaveAsWorkerAsync(tellManager: true, cancellationToken);
            return;
        }
        if (!_store.Active) throw SwarmErrors.NotInSwarm();
        if (!force)
            throw BerthException.Unavailable("You are attempting to leave the swarm on a node that is participating as a manager. " +
                "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ");
        await StopServerAsync();
        await Orchestrator.RemoveAllTaskContainersAsync(cancellationToken);
        _store.Erase();
        // Once the services are gone with the swarm, nothing holds its networks.
        Orchestrator.Networks?.RemoveSwarmNetworks();
    }

    /// <summary>POST /swarm/update: a new spec at the version it was read at, and token rotations.</summary>
    public void Update(ulong version, JsonObject spec, bool rotateWorkerToken, bool rotateManagerToken)
    {
        var cluster = Inspect();
        if (cluster.Version.Index != version) throw OutOfSequence();
        if (spec["EncryptionConfig"]?["AutoLockManagers"]?.GetValue<bool>() == true)
            throw BerthException.NotImplemented("autolock is not supported by berthd: the swarm's state is kept unencrypted on this node");
        byte[] caDer = X509Certificate2.CreateFromPem(cluster.TLSInfo.TrustRoot).Export(X509ContentType.Cert);
        _store.EditCluster(c =>
        {
            c.Spec = ClusterSpecDefaults.Merge(spec);
            if (rotateWorkerToken) c.JoinTokens!.Worker = SwarmIds.NewJoinToken(caDer);
            if (rotateManagerToken) c.JoinTokens!.Manager = SwarmIds.NewJoinToken(caDer);
        });
        Orchestrator.Kick();
    }

    public SwarmUnlockKeyResponse UnlockKey()
    {
        _ = Inspect();
        return new SwarmUnlockKeyResponse();
    }

    /// <summary>The number of old tasks kept per slot (the cluster's TaskHistoryRetentionLimit).</summary>
    internal int TaskHistoryLimit =>
        (int)Math.Max(1, _store.Cluster?.Spec["Orchestration"]?["TaskHistoryRetentionLimit"]?.GetValue<long>() ?? 5);

    internal static BerthException OutOfSequence() => BerthException.Internal("rpc error: code = Unknown desc = update out of sequence");

    private NodeDescription Describe(TlsInfo tls) => new()
    {
        Hostname = _facts.Hostname,
        Platform = new NodePlatform { Architecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
            _ => "x86_64",
        }, OS = "linux" },
        Resources = new NodeResources { NanoCPUs = _facts.NanoCpus, MemoryBytes = _facts.MemoryBytes },
        Engine = new EngineDescription
        {
            EngineVersion = _facts.EngineVersion,
            Plugins =
            [
                new() { Type = "Log", Name = "json-file" },
                new() { Type = "Network", Name = "bridge" }, new() { Type = "Network", Name = "host" },
                new() { Type = "Network", Name = "null" },
                new() { Type = "Volume", Name = "local" },
            ],
        },
        TLSInfo = tls,
    };

    /// <summary>
    /// The address other nodes would reach this one at: the advertise address, else the listen address, else the
    /// source address of this machine's default route (found by a UDP connect, which sends nothing).
    /// </summary>
    private static string AdvertiseAddress(string advertise, string listen)
    {
        foreach (string candidate in new[] { advertise, listen })
        {
            if (string.IsNullOrEmpty(candidate)) continue;
            string host = HostOf(candidate);
            if (IPAddress.TryParse(host, out var ip))
            {
                if (!ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)) return ip.ToString();
                continue;
            }
            var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.Name == host)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
            if (address is null)
                throw BerthException.Invalid($"advertise address must be a non-zero IP address or network interface (with optional port number)");
            return address.Address.ToString();
        }
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 9)); // TEST-NET-1: only routing is consulted
            return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return "127.0.0.1";
        }
    }

    private static string HostOf(string address)
    {
        if (address.StartsWith('[')) return address[1..address.IndexOf(']')];
        int colon = address.LastIndexOf(':');
        return colon > 0 && address.IndexOf(':') == colon ? address[..colon] : address;
    }
}
