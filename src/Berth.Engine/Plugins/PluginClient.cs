using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Engine.Plugins;

/// <summary>
/// Docker's plugin transport: every call is an HTTP POST of a JSON body to <c>/METHOD</c> (<c>/VolumeDriver.Mount</c>)
/// on the plugin's unix socket or http URL, with Docker's Accept header, answered with JSON. One connection pool per
/// address, reused across calls as Docker's client does.
/// </summary>
public sealed class PluginClient
{
    /// <summary>What Docker's plugin client sends as Accept (plugins answer <c>application/vnd.docker.plugins.v1+json</c>).</summary>
    public const string MediaType = "application/vnd.docker.plugins.v1.2+json";

    /// <summary>
    /// How long a call waits for a plugin that can't be connected to yet (a socket being recreated by a restarting
    /// plugin). dockerd keeps trying for 15 s; every call to a plugin that is really gone would cost that (each
    /// <c>volume ls</c> with a dead plugin on the host), so berthd gives a restarting plugin one second instead.
    /// </summary>
    public static readonly TimeSpan ConnectRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="method"/> and returns its answer; throws <see cref="PluginCallException"/> with Docker's wording.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string address, string method, TRequest request,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, TimeSpan timeout, CancellationToken ct)
        where TResponse : IPluginAnswer
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var (status, answer) = await SendAsync(address, method, body, timeout, ct);
        if (status != HttpStatusCode.OK)
            throw new PluginCallException($"{method}: {ErrorOf(answer)}");
        TResponse? result;
        try
        {
            result = answer.Length == 0 ? default : JsonSerializer.Deserialize(answer, responseType);
        }
        catch (JsonException e)
        {
            throw new PluginCallException($"{method}: invalid answer from plugin: {e.Message}", e);
        }
        if (result is null)
            throw new PluginCallException($"{method}: empty answer from plugin");
        if (!string.IsNullOrEmpty(result.Err))
            throw new PluginCallException(result.Err);
        return result;
    }

    /// <summary>
    /// Calls <paramref name="method"/> and hands out its answer as a stream (a logging plugin's ReadLogs): the
    /// <paramref name="timeout"/> covers only the wait for the answer's headers. The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> StreamAsync<TRequest>(string address, string method, TRequest request, JsonTypeInfo<TRequest> requestType,
        TimeSpan timeout, CancellationToken ct)
    {
        var client = _clients.GetOrAdd(address, NewClient);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, method))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw new PluginCallException($"Post \"{GoUrl(address, method)}\": {DialError(address, e)}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PluginCallException($"Post \"{GoUrl(address, method)}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", e);
        }
        if (response.StatusCode == HttpStatusCode.OK) return response;
        using (response)
            throw new PluginCallException($"{method}: {ErrorOf(await response.Content.ReadAsByteArrayAsync(ct))}");
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(string address, string method, byte[] body, TimeSpan timeout, CancellationToken ct)
    {
        var client = _clients.GetOrAdd(address, NewClient);
        var uri = new Uri(client.BaseAddress!, method);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var retryUntil = DateTime.UtcNow + ConnectRetry;
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
            try
            {
                using var response = await client.SendAsync(message, deadline.Token);
                return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(deadline.Token));
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException socket && IsNotListening(socket) && DateTime.UtcNow < retryUntil)
            {
                await Task.Delay(backoff, deadline.Token);
                backoff *= 2;
            }
            catch (HttpRequestException e)
            {
                throw new PluginCallException($"Post \"{GoUrl(address, method)}\": {DialError(address, e)}", e);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new PluginCallException($"Post \"{GoUrl(address, method)}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", e);
            }
        }
    }

    private static bool IsNotListening(SocketException e) =>
        e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable || e.ErrorCode == 2 /* ENOENT */;

    private static HttpClient NewClient(string address)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), UseProxy = false };
        if (IsUnix(address))
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath(address)), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        // Timeouts are per call (CallAsync's deadline), not the client's.
        return new HttpClient(handler) { BaseAddress = BaseOf(address), Timeout = Timeout.InfiniteTimeSpan };
    }

    private static bool IsUnix(string address) => address.StartsWith('/') || address.StartsWith("unix://", StringComparison.Ordinal);

    private static string SocketPath(string address) => address.StartsWith("unix://", StringComparison.Ordinal) ? address["unix://".Length..] : address;

    private static Uri BaseOf(string address) =>
        IsUnix(address) ? new Uri("http://plugin/") : new Uri(address.EndsWith('/') ? address : address + "/");

    // Go's net/http names a unix-socket request by the escaped socket path as host; the messages follow it.
    private static string GoUrl(string address, string method) =>
        IsUnix(address) ? $"http://{Uri.EscapeDataString(SocketPath(address))}/{method}" : new Uri(BaseOf(address), method).ToString();

    private static string DialError(string address, HttpRequestException e)
    {
        if (e.InnerException is SocketException socket && IsUnix(address))
        {
            string reason = socket.ErrorCode == 2 || socket.SocketErrorCode == SocketError.AddressNotAvailable
                ? "no such file or directory"
                : socket.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : socket.Message.ToLowerInvariant();
            return $"dial unix {SocketPath(address)}: connect: {reason}";
        }
        return e.InnerException?.Message ?? e.Message;
    }

    // Plugins put what went wrong in "Err"; a body without one is quoted as it is (Docker's fallback).
    private static string ErrorOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Err", out var err) && err.ValueKind == JsonValueKind.String
                && err.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }
        return System.Text.Encoding.UTF8.GetString(body);
    }
}

/// <summary>Every plugin answer may carry an error text.</summary>
public interface IPluginAnswer
{
    string? Err { get; }
}
