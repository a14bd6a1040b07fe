using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Engine.Distribution.Endpoints;
using Berth.Engine.Distribution.Http;

namespace Berth.Engine.Distribution.Auth;

/// <summary>A bearer token and when to stop using it.</summary>
public sealed record BearerToken(string Value, DateTimeOffset ExpiresAt, string? RefreshToken);

/// <summary>
/// Gets bearer tokens from a challenge's realm (distribution token spec): GET with basic auth or anonymously, or an
/// OAuth2 POST with a refresh token (the identity token of an earlier login). Tokens are shared per realm, service,
/// scope set and credentials until shortly before they expire; concurrent requests for one token wait for one fetch.
/// </summary>
public sealed class TokenService(RegistryHttpClients clients, Func<Uri, CancellationToken, Task<RegistryTls>> tlsFor)
{
    private const string ClientId = "docker";
    private static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Lazy<Task<BearerToken>>> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);

    /// <summary>A token for <paramref name="scopes"/>, from the cache while it is fresh.</summary>
    public async Task<BearerToken> GetAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        string key = KeyOf(challenge, scopes, credentials);
        while (true)
        {
            var entry = _tokens.GetOrAdd(key, _ => new Lazy<Task<BearerToken>>(() => FetchAsync(challenge, scopes, credentials, offline: false, CancellationToken.None)));
            BearerToken token;
            try
            {
                token = await entry.Value.WaitAsync(cancellationToken);
            }
            catch
            {
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<BearerToken>>>(key, entry));
                throw;
            }
            if (token.ExpiresAt - RefreshMargin > DateTimeOffset.UtcNow) return token;
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<BearerToken>>>(key, entry));
        }
    }

    /// <summary>Forgets a token the registry rejected, so that the next request fetches a new one.</summary>
    public void Invalidate(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials credentials) =>
        _tokens.TryRemove(KeyOf(challenge, scopes, credentials), out _);

    /// <summary>
    /// The token request of <c>docker login</c>: no scope, asking for offline access so that a token server may hand back
    /// a refresh token (returned as the identity token).
    /// </summary>
    public Task<BearerToken> LoginAsync(AuthChallenge challenge, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        FetchAsync(challenge, [], credentials, offline: true, cancellationToken);

    private async Task<BearerToken> FetchAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials credentials, bool offline, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(challenge.Realm)) throw new RegistryException("bearer auth challenge has no realm");
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
            throw new RegistryException($"invalid token realm \"{challenge.Realm}\"");

        string? refresh = credentials.IdentityToken ?? (credentials.IsAnonymous ? null : _refreshTokens.GetValueOrDefault(RefreshKeyOf(challenge, credentials)));
        if (refresh is not null)
        {
            var viaOAuth = await PostOAuthAsync(realm, challenge, scopes, refresh, offline, cancellationToken);
            if (viaOAuth is not null) return Remember(challenge, credentials, viaOAuth);
        }
        return Remember(challenge, credentials, await GetTokenAsync(realm, challenge, scopes, credentials, offline, cancellationToken));
    }

    private BearerToken Remember(AuthChallenge challenge, RegistryCredentials credentials, BearerToken token)
    {
        if (token.RefreshToken is { Length: > 0 } refresh && !credentials.IsAnonymous)
            _refreshTokens[RefreshKeyOf(challenge, credentials)] = refresh;
        return token;
    }

    private async Task<BearerToken> GetTokenAsync(Uri realm, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials credentials, bool offline, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(challenge.Service)) query.Add("service=" + Uri.EscapeDataString(challenge.Service));
        foreach (string scope in scopes) query.Add("scope=" + Uri.EscapeDataString(scope));
        if (credentials.HasPassword) query.Add("account=" + Uri.EscapeDataString(credentials.Username!));
        if (offline) query.AddRange(["offline_token=true", "client_id=" + ClientId]);
        var uri = new UriBuilder(realm) { Query = JoinQuery(realm.Query, query) }.Uri;

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credentials.HasPassword) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        return await SendAsync(request, cancellationToken)
               ?? throw new RegistryException($"Get \"{uri}\": token server answered 404 Not Found", HttpStatusCode.NotFound);
    }

    private async Task<BearerToken?> PostOAuthAsync(Uri realm, AuthChallenge challenge, IReadOnlyList<string> scopes, string refreshToken, bool offline, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", ClientId),
        };
        if (!string.IsNullOrEmpty(challenge.Service)) form.Add(new("service", challenge.Service));
        if (scopes.Count > 0) form.Add(new("scope", string.Join(' ', scopes)));
        if (offline) form.Add(new("access_type", "offline"));
        using var request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        // A token server without OAuth2 support answers 404 (or 405): Docker then falls back to GET.
        return await SendAsync(request, cancellationToken);
    }

    private async Task<BearerToken?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await clients.For(await tlsFor(request.RequestUri!, cancellationToken)).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{Method(request)} \"{request.RequestUri!}\": {e.Message}", inner: e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed && request.Method == HttpMethod.Post) return null;
            if (!response.IsSuccessStatusCode)
            {
                var error = await RegistryException.FromResponseAsync(response, cancellationToken);
                throw new RegistryException($"{Method(request)} \"{request.RequestUri!}\": {error.Message}", error.Status, error.Errors);
            }
            TokenResponse? body;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                body = await JsonSerializer.DeserializeAsync(stream, RegistryHttpJsonContext.Default.TokenResponse, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"unable to decode token response: {e.Message}");
            }
            string? value = !string.IsNullOrEmpty(body?.Token) ? body.Token : body?.AccessToken;
            if (string.IsNullOrEmpty(value)) throw new RegistryException("authorization server did not include a token in the response");
            var lifetime = TimeSpan.FromSeconds(body!.ExpiresIn);
            if (lifetime < MinimumLifetime) lifetime = MinimumLifetime;
            var issued = body.IssuedAt is { } at && at <= DateTimeOffset.UtcNow.AddMinutes(1) ? at : DateTimeOffset.UtcNow;
            return new BearerToken(value, issued + lifetime, body.RefreshToken);
        }
    }

    private static string Method(HttpRequestMessage request) => request.Method == HttpMethod.Post ? "Post" : "Get";

    private static string JoinQuery(string existing, List<string> parts)
    {
        string head = existing.TrimStart('?');
        return string.Join('&', new[] { head }.Where(h => h.Length > 0).Concat(parts));
    }

    private static string KeyOf(AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials credentials) =>
        $"{challenge.Realm}|{challenge.Service}|{string.Join(' ', scopes.Order(StringComparer.Ordinal))}|{Fingerprint(credentials)}";

    private static string RefreshKeyOf(AuthChallenge challenge, RegistryCredentials credentials) =>
        $"{challenge.Realm}|{challenge.Service}|{Fingerprint(credentials)}";

    private static string Fingerprint(RegistryCredentials credentials) =>
        credentials.IsAnonymous ? "" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{credentials.Username}\0{credentials.Password}\0{credentials.IdentityToken}\0{credentials.RegistryToken}")))[..24];
}
