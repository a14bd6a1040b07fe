using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Endpoints;

/// <summary>
/// Turns a reference's registry into the endpoints to try, in Docker's order: for Docker Hub pulls the mirrors first,
/// then <c>registry-1.docker.io</c>; for an insecure registry https without verification, then plain http. The endpoint
/// that last worked for a registry is tried first next time, so an http-only registry costs one failed handshake.
/// </summary>
public sealed class EndpointResolver
{
    private static readonly IPNetwork[] LoopbackRanges = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    private readonly RegistryOptions _options;
    private readonly IReadOnlyList<IPNetwork> _insecureRanges;
    private readonly HashSet<string> _insecureNames;
    private readonly ConcurrentDictionary<string, Uri> _lastWorking = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RegistryTls> _tls = new(StringComparer.Ordinal);

    public EndpointResolver(RegistryOptions options)
    {
        _options = options;
        var ranges = new List<IPNetwork>(LoopbackRanges);
        _insecureNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in options.InsecureRegistries)
        {
            string value = entry.Trim();
            if (value.Contains("://", StringComparison.Ordinal))
                throw BerthException.Invalid($"insecure registry {value} should not contain '://'");
            if (value.Contains('/') && IPNetwork.TryParse(value, out var range)) ranges.Add(range);
            else _insecureNames.Add(value.TrimEnd('/'));
        }
        _insecureRanges = ranges;
    }

    /// <summary>Endpoints for pulling from <paramref name="domain"/>: mirrors (Docker Hub only), then the registry itself.</summary>
    public async Task<IReadOnlyList<RegistryEndpoint>> ForPullAsync(string domain, CancellationToken cancellationToken)
    {
        var endpoints = new List<RegistryEndpoint>();
        if (domain == DockerHub.ReferenceDomain)
        {
            foreach (string mirror in _options.Mirrors)
            {
                var uri = ParseMirror(mirror);
                bool insecure = await IsInsecureAsync(uri.Authority, cancellationToken);
                endpoints.Add(new RegistryEndpoint(domain, uri, Mirror: true, TlsFor(uri.Authority, skipVerify: insecure)));
            }
        }
        endpoints.AddRange(await ForRegistryAsync(domain, cancellationToken));
        return endpoints;
    }

    /// <summary>Endpoints for pushing to, logging in to, or mounting in <paramref name="domain"/> (never a mirror).</summary>
    public async Task<IReadOnlyList<RegistryEndpoint>> ForRegistryAsync(string domain, CancellationToken cancellationToken)
    {
        string host = domain == DockerHub.ReferenceDomain ? DockerHub.ApiHost : domain;
        bool insecure = domain != DockerHub.ReferenceDomain && await IsInsecureAsync(host, cancellationToken);
        var endpoints = new List<RegistryEndpoint> { new(domain, new Uri("https://" + host), Mirror: false, TlsFor(host, insecure)) };
        if (insecure) endpoints.Add(new RegistryEndpoint(domain, new Uri("http://" + host), Mirror: false, RegistryTls.Default));
        if (_lastWorking.TryGetValue(domain, out var preferred))
        {
            int index = endpoints.FindIndex(e => e.BaseUri == preferred);
            if (index > 0)
            {
                var first = endpoints[index];
                endpoints.RemoveAt(index);
                endpoints.Insert(0, first);
            }
        }
        return endpoints;
    }

    /// <summary>Remembers the endpoint that answered, so that it is tried first next time.</summary>
    public void MarkWorking(RegistryEndpoint endpoint)
    {
        if (!endpoint.Mirror) _lastWorking[endpoint.Domain] = endpoint.BaseUri;
    }

    /// <summary>
    /// Docker's rule: a registry listed by name is insecure; otherwise it is insecure when any of its addresses falls in
    /// an insecure range (loopback always does).
    /// </summary>
    public async Task<bool> IsInsecureAsync(string hostPort, CancellationToken cancellationToken)
    {
        if (_insecureNames.Contains(hostPort)) return true;
        var (host, _) = RegistryAddress.Split(hostPort);
        if (_insecureNames.Contains(host)) return true;
        foreach (var address in await AddressesOfAsync(host, cancellationToken))
            if (_insecureRanges.Any(range => range.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
                return true;
        return false;
    }

    private static async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return [literal];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>
    /// The TLS settings of a host, one instance per host and verification mode (connection pools are keyed by it).
    /// </summary>
    public RegistryTls TlsFor(string hostPort, bool skipVerify) =>
        _tls.GetOrAdd($"{hostPort}|{skipVerify}", _ => RegistryTls.Load(_options.CertificateDirectories, hostPort).WithSkipVerify(skipVerify));

    /// <summary>TLS for a URI outside the registry's API (a token realm, a redirect target).</summary>
    public async Task<RegistryTls> TlsForUriAsync(Uri uri, CancellationToken cancellationToken) =>
        uri.Scheme != Uri.UriSchemeHttps ? RegistryTls.Default : TlsFor(uri.Authority, await IsInsecureAsync(uri.Authority, cancellationToken));

    private static Uri ParseMirror(string mirror)
    {
        string text = mirror.Contains("://", StringComparison.Ordinal) ? mirror : "https://" + mirror;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw BerthException.Invalid($"invalid mirror: \"{mirror}\" is not a valid URI");
        return uri;
    }
}
