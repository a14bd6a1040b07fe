using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Engine.Distribution.Endpoints;

namespace Berth.Engine.Distribution.Http;

/// <summary>
/// One pooled <see cref="HttpClient"/> per TLS configuration, shared by every pull, push and token request. Redirects
/// are followed by <see cref="RegistrySession"/> itself (to count them and to drop registry credentials when a blob is
/// served from another host) and bodies are never decompressed: blob bytes must reach the digest check untouched.
/// </summary>
public sealed class RegistryHttpClients(RegistryOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<RegistryTls, HttpClient> _clients = new(ReferenceEqualityComparer.Instance);

    public HttpClient For(RegistryTls tls) => _clients.GetOrAdd(tls, Create);

    private HttpClient Create(RegistryTls tls)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            UseCookies = false,
            ConnectCallback = RegistryDialer.ConnectAsync,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            tls.Validate(certificate as X509Certificate2, chain, errors);
        if (tls.ClientCertificate is { } client)
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { client };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return http;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
