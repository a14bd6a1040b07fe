using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Endpoints;

namespace Berth.Engine.Distribution.Http;

/// <summary>
/// Requests to one repository on one endpoint with one set of credentials and token scopes. It pings <c>/v2/</c> once
/// to learn the auth challenge (as Docker does), attaches basic or bearer auth, answers a 401 by re-reading the
/// challenge and fetching a fresh token once, and follows redirects itself, without registry credentials when they
/// lead to another host (blob storage behind pre-signed URLs).
/// </summary>
public sealed class RegistrySession
{
    private readonly RegistryContext _context;
    private AuthChallenge? _challenge;
    private bool _pinged;

    public RegistrySession(RegistryContext context, RegistryEndpoint endpoint, string repository, IReadOnlyList<string> scopes, RegistryCredentials credentials)
    {
        _context = context;
        Endpoint = endpoint;
        Repository = repository;
        Scopes = scopes;
        Credentials = credentials;
    }

    public RegistryEndpoint Endpoint { get; }

    /// <summary>The repository path inside the registry (<c>library/busybox</c>).</summary>
    public string Repository { get; }
    public IReadOnlyList<string> Scopes { get; }
    public RegistryCredentials Credentials { get; }

    private HttpClient Http => _context.Clients.For(Endpoint.Tls);

    /// <summary>A session on the same endpoint for other scopes (a cross-repository mount needs pull on the source).</summary>
    public RegistrySession WithScopes(IReadOnlyList<string> scopes) =>
        new(_context, Endpoint, Repository, scopes, Credentials) { _challenge = _challenge, _pinged = _pinged };

    /// <summary><c>/v2/&lt;repository&gt;/&lt;suffix&gt;</c> on this endpoint.</summary>
    public Uri RepositoryUri(string suffix) => Endpoint.Resolve($"/v2/{Repository}/{suffix}");

    /// <summary>
    /// Checks that the endpoint speaks the V2 API and learns its challenge (skipped while a recent answer is known).
    /// Throws a transport <see cref="RegistryException"/> when the endpoint cannot be reached, so callers may fall back.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_pinged) return;
        if (_context.TryGetChallenge(Endpoint, out var known))
        {
            _challenge = known;
            _pinged = true;
            return;
        }
        var uri = Endpoint.Resolve("/v2/");
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, uri), attachAuth: false, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            _challenge = PickChallenge(response);
        else if (response.StatusCode == HttpStatusCode.NotFound)
            throw new RegistryException($"{Endpoint} does not appear to be a v2 registry (GET /v2/ answered 404)", response.StatusCode) { IsTransport = true };
        else if ((int)response.StatusCode >= 500)
            throw new RegistryException($"Get \"{uri}\": received unexpected HTTP status: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode) { IsTransport = true };
        _context.RememberChallenge(Endpoint, _challenge);
        _context.Endpoints.MarkWorking(Endpoint);
        _pinged = true;
    }

    /// <summary>
    /// Sends a request built by <paramref name="createRequest"/> (called again for a retry after a 401 and for each
    /// redirect). Redirects are followed for GET and HEAD only. The caller owns the returned response.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> createRequest, Uri uri, CancellationToken cancellationToken, bool retryOnUnauthorized = true)
    {
        await PingAsync(cancellationToken);
        var response = await SendFollowingRedirectsAsync(createRequest, uri, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !retryOnUnauthorized) return response;

        // A new challenge (the registry changed its mind, or the token expired early): authorize afresh once.
        var challenge = PickChallenge(response);
        if (challenge is null || (challenge.IsBasic && !Credentials.HasPassword)) return response;
        if (_challenge is { IsBearer: true } old) _context.Tokens.Invalidate(old, Scopes, Credentials);
        _challenge = challenge;
        response.Dispose();
        return await SendFollowingRedirectsAsync(createRequest, uri, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Func<Uri, HttpRequestMessage> createRequest, Uri uri, CancellationToken cancellationToken)
    {
        var current = uri;
        for (int redirects = 0; ; redirects++)
        {
            var request = createRequest(current);
            string method = request.Method.Method;
            bool sameHost = current.Authority == Endpoint.BaseUri.Authority && current.Scheme == Endpoint.BaseUri.Scheme;
            var response = await SendRawAsync(request, attachAuth: sameHost, cancellationToken);
            if (!IsRedirect(response.StatusCode) || (method != "GET" && method != "HEAD")) return response;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null) throw new RegistryException($"{GoMethod(method)} \"{current}\": redirect without a Location header");
            if (redirects + 1 >= _context.Options.MaxRedirects)
                throw new RegistryException($"{GoMethod(method)} \"{new Uri(current, location)}\": stopped after {_context.Options.MaxRedirects} redirects");
            current = new Uri(current, location);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, bool attachAuth, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        try
        {
            if (attachAuth && await AuthorizationAsync(cancellationToken) is { } authorization)
                request.Headers.Authorization = authorization;
            var client = attachAuth ? Http : _context.Clients.For(await _context.Endpoints.TlsForUriAsync(uri, cancellationToken));
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{GoMethod(request.Method.Method)} \"{uri}\": {Describe(e)}", inner: e) { IsTransport = true };
        }
        catch (IOException e)
        {
            throw new RegistryException($"{GoMethod(request.Method.Method)} \"{uri}\": {e.Message}", inner: e) { IsTransport = true };
        }
        finally
        {
            request.Dispose();
        }
    }

    private async Task<AuthenticationHeaderValue?> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Credentials.RegistryToken)) return new AuthenticationHeaderValue("Bearer", Credentials.RegistryToken);
        switch (_challenge)
        {
            case { IsBearer: true } bearer:
                var token = await _context.Tokens.GetAsync(bearer, Scopes, Credentials, cancellationToken);
                return new AuthenticationHeaderValue("Bearer", token.Value);
            case { IsBasic: true } when Credentials.HasPassword:
                return new AuthenticationHeaderValue("Basic", Credentials.BasicValue);
            default:
                return null;
        }
    }

    /// <summary>The challenge to answer: bearer when offered, else basic (Docker prefers token auth).</summary>
    private static AuthChallenge? PickChallenge(HttpResponseMessage response)
    {
        var values = response.Headers.WwwAuthenticate.Select(h => h.ToString());
        var challenges = AuthChallenge.Parse(values);
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Go's http client names methods like this in its errors ("Get", "Head").</summary>
    public static string GoMethod(string method) => method.Length == 0 ? method : method[0] + method[1..].ToLowerInvariant();

    internal static string Describe(HttpRequestException e) => e.InnerException switch
    {
        AuthenticationException tls => $"tls: {tls.InnerException?.Message ?? tls.Message}",
        { } inner when e.HttpRequestError == HttpRequestError.ConnectionError => inner.Message,
        _ => e.Message,
    };
}
