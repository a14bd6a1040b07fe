using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Oci.Errors;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The daemon's sockets: unix sockets (mode 0660) and TCP. TCP requires mutual TLS (--tlsverify with CA, cert, key)
/// unless it listens on loopback only, because anyone who reaches the API controls the host. The swarm agent's private
/// socket (mode 0600, see <see cref="Http.SwarmAgentGate"/>) is always there too: a swarm's manager reaches a worker's
/// daemon through it.
/// </summary>
public static class Listeners
{
    public static void Configure(KestrelServerOptions kestrel, DaemonOptions options)
    {
        foreach (var host in options.Hosts)
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal) || host.StartsWith('/'))
            {
                string path = SocketPath(host);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                RefuseIfServing(path);
                File.Delete(path);
                kestrel.ListenUnixSocket(path, Http.HalfCloseFeature.Install);
            }
            else if (host.StartsWith("tcp://", StringComparison.Ordinal))
            {
                var uri = new Uri(host);
                var address = uri.Host is "" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(uri.Host.Trim('[', ']'));
                int port = uri.IsDefaultPort || uri.Port <= 0 ? (options.TlsVerify ? 2376 : 2375) : uri.Port;
                bool tls = options.TlsVerify || options.TlsCert is not null;
                if (!tls && !IPAddress.IsLoopback(address))
                    throw BerthException.Invalid($"refusing to serve the API on {host} without TLS: use --tlsverify --tlscacert --tlscert --tlskey");
                kestrel.Listen(address, port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (tls) listen.UseHttps(Https(options));
                    Http.HalfCloseFeature.Install(listen, directOutput: !tls);
                });
            }
            else throw BerthException.Invalid($"invalid host \"{host}\": use unix:///path or tcp://host:port");
        }
        string agent = Http.SwarmAgentGate.SocketPath(options.ExecRoot);
        Directory.CreateDirectory(options.ExecRoot);
        RefuseIfServing(agent);
        File.Delete(agent);
        kestrel.ListenUnixSocket(agent, listen =>
        {
            Http.SwarmAgentGate.MarkAgentConnections(listen);
            Http.HalfCloseFeature.Install(listen);
        });
    }

    private static HttpsConnectionAdapterOptions Https(DaemonOptions options)
    {
        if (options.TlsCert is null || options.TlsKey is null) throw BerthException.Invalid("TLS needs --tlscert and --tlskey");
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = X509Certificate2.CreateFromPemFile(options.TlsCert, options.TlsKey),
        };
        if (options.TlsVerify)
        {
            if (options.TlsCaCert is null) throw BerthException.Invalid("--tlsverify needs --tlscacert");
            var ca = X509CertificateLoader.LoadCertificateFromFile(options.TlsCaCert);
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }
        return https;
    }

    public static string SocketPath(string host) => host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : host;

    /// <summary>Another daemon answering on the socket must not be robbed of it.</summary>
    private static void RefuseIfServing(string path)
    {
        if (!File.Exists(path)) return;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return; // stale socket file from a daemon that died
        }
        throw BerthException.Conflict($"another daemon is already serving {path}");
    }

    public static void AfterStart(DaemonOptions options, uint? socketGroup)
    {
        foreach (var host in options.Hosts.Where(h => h.StartsWith("unix://", StringComparison.Ordinal) || h.StartsWith('/')))
        {
            File.SetUnixFileMode(SocketPath(host), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            if (socketGroup is { } gid) Berth.Oci.Native.PosixFiles.ChangeOwner(SocketPath(host), 0, gid);
        }
        File.SetUnixFileMode(Http.SwarmAgentGate.SocketPath(options.ExecRoot), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static void Cleanup(DaemonOptions options)
    {
        foreach (var host in options.Hosts.Where(h => h.StartsWith("unix://", StringComparison.Ordinal) || h.StartsWith('/')))
            File.Delete(SocketPath(host));
        File.Delete(Http.SwarmAgentGate.SocketPath(options.ExecRoot));
    }
}
