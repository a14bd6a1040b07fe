using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Endpoints;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Search;

/// <summary>
/// <c>docker search</c> as Docker's daemon does it, over the registry v1 search API: Docker Hub's index is asked
/// directly; another registry is first pinged at <c>/v1/_ping</c> over https and, when it is insecure, over plain
/// http (any answer will do), then asked <c>/v1/search?q=&amp;n=</c> there. Errors carry dockerd's words.
/// </summary>
internal sealed class RegistrySearcher(RegistryContext context)
{
    /// <summary>Docker Hub's v1 index, which answers searches for it.</summary>
    public const string HubIndex = "https://index.docker.io/v1/";

    /// <summary>The token scope Docker's daemon asks for when a registry wants a bearer token to search.</summary>
    public const string SearchScope = "registry:catalog:search";

    public async Task<IReadOnlyList<RegistrySearchResult>> SearchAsync(string term, int limit, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var search = SearchTerm.Parse(term);
        var (index, tls) = search.IsDockerHub
            ? (new Uri(HubIndex), RegistryTls.Default)
            : await PingAsync(search.Index, cancellationToken);
        if (limit is < 1 or > 100) throw BerthException.Invalid($"Limit {limit} is outside the range of [1, 100]");

        var uri = new Uri(index, $"search?q={Uri.EscapeDataString(search.Query)}&n={limit.ToString(CultureInfo.InvariantCulture)}");
        var http = context.Clients.For(tls);
        using var response = await SendAsync(http, uri, Authorization(credentials, search.IsDockerHub), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && await BearerForAsync(response, credentials, cancellationToken) is { } bearer)
        {
            using var retried = await SendAsync(http, uri, bearer, cancellationToken);
            return await ReadResultsAsync(retried, cancellationToken);
        }
        return await ReadResultsAsync(response, cancellationToken);
    }

    /// <summary>
    /// Docker's validateEndpoint: https first (unverified for an insecure registry); a secure registry stops there,
    /// an insecure one falls back to plain http. Only reaching the registry counts, not what it answers.
    /// </summary>
    private async Task<(Uri Index, RegistryTls Tls)> PingAsync(string host, CancellationToken cancellationToken)
    {
        bool insecure = await context.Endpoints.IsInsecureAsync(host, cancellationToken);
        var https = new Uri($"https://{host}/v1/");
        var httpsTls = context.Endpoints.TlsFor(host, skipVerify: insecure);
        string httpsError;
        try
        {
            await PingAtAsync(https, httpsTls, cancellationToken);
            return (https, httpsTls);
        }
        catch (RegistryException e)
        {
            httpsError = e.Message;
        }
        if (!insecure)
            throw BerthException.Internal($"invalid registry endpoint {https}: {httpsError}. If this private registry supports only HTTP or HTTPS with an unknown CA certificate, please add `--insecure-registry {host}` to the daemon's arguments. In the case of HTTPS, if you already have access to the registry's CA certificate, no need for the flag.\n\nThe ca certificate is located at /etc/docker/certs.d/{host}/ca.crt");

        var plain = new Uri($"http://{host}/v1/");
        try
        {
            await PingAtAsync(plain, RegistryTls.Default, cancellationToken);
            return (plain, RegistryTls.Default);
        }
        catch (RegistryException e)
        {
            throw BerthException.Internal($"invalid registry endpoint \"{plain}\". HTTPS attempt: {httpsError}. HTTP attempt: {e.Message}");
        }
    }

    private async Task PingAtAsync(Uri index, RegistryTls tls, CancellationToken cancellationToken) =>
        (await SendAsync(context.Clients.For(tls), new Uri(index, "_ping"), null, cancellationToken)).Dispose();

    /// <summary>
    /// Docker's v1 session sends basic auth when the user gave a name (always to Docker Hub's index), or the
    /// registry token the client handed over.
    /// </summary>
    private static AuthenticationHeaderValue? Authorization(RegistryCredentials credentials, bool dockerHub)
    {
        if (!string.IsNullOrEmpty(credentials.RegistryToken)) return new AuthenticationHeaderValue("Bearer", credentials.RegistryToken);
        if (credentials.HasPassword || (dockerHub && !string.IsNullOrEmpty(credentials.Username)))
            return new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        return null;
    }

    /// <summary>A registry behind token auth: a token for the catalog's search scope, when it offers a bearer challenge.</summary>
    private async Task<AuthenticationHeaderValue?> BearerForAsync(HttpResponseMessage response, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString())).FirstOrDefault(c => c.IsBearer);
        if (challenge is null) return null;
        try
        {
            var token = await context.Tokens.GetAsync(challenge, [SearchScope], credentials, cancellationToken);
            return new AuthenticationHeaderValue("Bearer", token.Value);
        }
        catch (RegistryException)
        {
            return null; // the search's own 401 is the answer
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        // Docker's v1 client asks for a token this way; registries that issue none ignore it.
        request.Headers.TryAddWithoutValidation("X-Docker-Token", "true");
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"Get \"{uri}\": {RegistrySession.Describe(e)}", inner: e) { IsTransport = true };
        }
        catch (IOException e)
        {
            throw new RegistryException($"Get \"{uri}\": {e.Message}", inner: e) { IsTransport = true };
        }
    }

    private static async Task<IReadOnlyList<RegistrySearchResult>> ReadResultsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw BerthException.Internal($"Unexpected status code {(int)response.StatusCode}");
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return ParseResults(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw BerthException.Internal($"error decoding registry search results: {e.Message}");
        }
    }

    /// <summary>The <c>results</c> of a v1 search answer; members a registry leaves out are empty.</summary>
    public static List<RegistrySearchResult> ParseResults(JsonElement answer)
    {
        var results = new List<RegistrySearchResult>();
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("results", out var items) || items.ValueKind != JsonValueKind.Array)
            return results;
        foreach (var item in items.EnumerateArray())
        {
            results.Add(new RegistrySearchResult(
                String(item, "name"), String(item, "description"),
                item.TryGetProperty("star_count", out var stars) && stars.ValueKind == JsonValueKind.Number ? stars.GetInt32() : 0,
                Bool(item, "is_official"), Bool(item, "is_automated")));
        }
        return results;
    }

    private static string String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    private static bool Bool(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
