using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Hijack;
using Berth.Client.Hosts;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>
/// A typed client of the Engine API over a unix socket, TCP or TCP+TLS. The API version is negotiated
/// on first use (HEAD /_ping, then the lower of the daemon's and <see cref="Http.ApiVersion.ClientMax"/>)
/// unless fixed by the caller (docker's <c>DOCKER_API_VERSION</c>).
/// </summary>
public sealed partial class EngineClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _userAgent;
    private string? _apiVersion;
    private PingResult? _ping;

    public EngineClient(DaemonConnector connector, string? fixedApiVersion = null, string userAgent = "Berth-Client/0.1 (linux)")
    {
        Connector = connector;
        _apiVersion = string.IsNullOrEmpty(fixedApiVersion) ? null : fixedApiVersion.TrimStart('v');
        _userAgent = userAgent;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) => (await connector.ConnectAsync(ct)).Stream,
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri("http://" + connector.HttpHost),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Clear();
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
    }

    public DaemonConnector Connector { get; }

    /// <summary>The negotiated (or fixed) version, once known.</summary>
    public string? ApiVersion => _apiVersion;

    /// <summary>Pings the daemon (HEAD, then GET if HEAD is refused) and reads its headers.</summary>
    public async Task<PingResult> PingAsync(CancellationToken cancellationToken)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, "/_ping");
        using var response = await SendRawAsync(head, cancellationToken);
        if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/_ping");
            using var retry = await SendRawAsync(get, cancellationToken);
            return _ping = PingResult.From(retry);
        }
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.InternalServerError)
            await ThrowForStatusAsync(response, cancellationToken);
        return _ping = PingResult.From(response);
    }

    /// <summary>Agrees on the API version with the daemon; cached after the first call.</summary>
    public async ValueTask<string> NegotiateAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is not null)
            return _apiVersion;
        var ping = _ping ?? await PingAsync(cancellationToken);
        return _apiVersion = Http.ApiVersion.Negotiate(ping.ApiVersion);
    }

    public async ValueTask<string> VersionedPathAsync(string path, QueryString? query, CancellationToken cancellationToken)
    {
        var version = await NegotiateAsync(cancellationToken);
        var builder = new StringBuilder("/v").Append(version).Append(path);
        if (query is { IsEmpty: false })
            builder.Append('?').Append(query);
        return builder.ToString();
    }

    /// <summary>
    /// Sends a request under the negotiated version prefix and returns once the headers are read
    /// (the body may be a stream). A 4xx/5xx answer is thrown as <see cref="EngineApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, QueryString? query,
        HttpContent? content, CancellationToken cancellationToken, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var uri = await VersionedPathAsync(path, query, cancellationToken);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
                request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await SendRawAsync(request, cancellationToken);
        // As docker's client: 3xx is no error (304 is "already started/stopped").
        if ((int)response.StatusCode is < 200 or >= 400)
        {
            using (response)
                await ThrowForStatusAsync(response, cancellationToken);
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (FindUnreachable(e) is { } unreachable)
        {
            throw unreachable;
        }
    }

    private static DaemonUnreachableException? FindUnreachable(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is DaemonUnreachableException unreachable)
                return unreachable;
        }
        return null;
    }

    private static async Task ThrowForStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        throw new EngineApiException(response.StatusCode, ErrorMessage.From(response.StatusCode, body));
    }

    public static ByteArrayContent JsonBody(JsonNode? body)
    {
        var content = new ByteArrayContent(Json.SerializeToUtf8(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>GET returning the raw JSON bytes (for output that must keep the daemon's bytes, like inspect).</summary>
    public async Task<byte[]> GetBytesAsync(string path, QueryString? query, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, query, null, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<JsonNode?> GetJsonAsync(string path, QueryString? query, CancellationToken cancellationToken)
        => Json.Parse(await GetBytesAsync(path, query, cancellationToken));

    public async Task<JsonNode?> PostJsonAsync(string path, QueryString? query, JsonNode? body, CancellationToken cancellationToken)
    {
        using var content = body is null ? null : JsonBody(body);
        using var response = await SendAsync(HttpMethod.Post, path, query, content, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length == 0 ? null : ParseLenient(bytes);
    }

    public async Task<JsonNode?> DeleteJsonAsync(string path, QueryString? query, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, query, null, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length == 0 ? null : ParseLenient(bytes);
    }

    private static JsonNode? ParseLenient(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Opens a hijacked (raw, duplex) connection, as attach and exec start need.</summary>
    public async Task<HijackedConnection> HijackAsync(string path, QueryString? query, JsonNode? body, CancellationToken cancellationToken)
    {
        var uri = await VersionedPathAsync(path, query, cancellationToken);
        var bytes = body is null ? null : Json.SerializeToUtf8(body);
        return await HijackedConnection.OpenAsync(Connector, "POST", uri, bytes, _userAgent, cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
