using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Oci.Errors;

namespace Berth.Registry.Proxy;

/// <summary>
/// Talks to the upstream registry of the pull-through cache: basic credentials, or the bearer-token dance
/// (401 with <c>WWW-Authenticate: Bearer realm=...</c>, fetch a token for the scope, retry) that Docker Hub uses.
/// </summary>
public sealed class UpstreamClient(HttpClient http, Uri baseUri, string? username, string? password)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public Uri BaseUri { get; } = baseUri;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string scope, string? accept, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, path, scope, accept, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (challenge?.Parameter is null) return response;
        response.Dispose();
        _tokens[scope] = await FetchTokenAsync(challenge.Parameter, scope, cancellationToken);
        return await SendOnceAsync(method, path, scope, accept, cancellationToken);
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, string scope, string? accept, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, path));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (_tokens.TryGetValue(scope, out var token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (username is not null) request.Headers.Authorization = BasicCredentials();
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private AuthenticationHeaderValue BasicCredentials() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    private async Task<string> FetchTokenAsync(string challenge, string scope, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameters.Parse(challenge);
        if (!parameters.TryGetValue("realm", out var realm))
            throw BerthException.Unavailable($"upstream {BaseUri}: bearer challenge without a realm");
        var query = new StringBuilder(realm).Append(realm.Contains('?') ? '&' : '?');
        if (parameters.TryGetValue("service", out var service)) query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        query.Append("scope=").Append(Uri.EscapeDataString(scope));
        using var request = new HttpRequestMessage(HttpMethod.Get, query.ToString());
        if (username is not null) request.Headers.Authorization = BasicCredentials();
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw BerthException.Unavailable($"upstream {BaseUri}: token endpoint answered {(int)response.StatusCode}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var root = document.RootElement;
        if (root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } token) return token;
        if (root.TryGetProperty("access_token", out var a) && a.GetString() is { Length: > 0 } access) return access;
        throw BerthException.Unavailable($"upstream {BaseUri}: token endpoint answered no token");
    }
}

/// <summary>Parses <c>realm="...",service="...",scope="..."</c> (quoted values may hold commas).</summary>
public static class ChallengeParameters
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || text[i] == ' ')) i++;
            int eq = text.IndexOf('=', i);
            if (eq < 0) break;
            string key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0) end = text.Length;
                value = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                int end = text.IndexOf(',', i);
                if (end < 0) end = text.Length;
                value = text[i..end].Trim();
                i = end;
            }
            result[key] = value;
        }
        return result;
    }
}
