using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

public sealed record FakeRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Path => Target.Split('?')[0];
    public string Query => Target.Contains('?') ? Target[(Target.IndexOf('?') + 1)..] : "";
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public string? QueryValue(string name) =>
        Query.Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")).FirstOrDefault();
}

public sealed class FakeResponse
{
    public int Status { get; init; } = 200;
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public byte[] Body { get; init; } = [];

    /// <summary>Send only this many body bytes (with the full Content-Length announced), then close the connection.</summary>
    public long? CutAfter { get; init; }

    /// <summary>Wait this long before sending the body (to make concurrent requests overlap).</summary>
    public TimeSpan Delay { get; init; }

    public static FakeResponse Json(int status, string json, params (string, string)[] headers)
    {
        var response = new FakeResponse { Status = status, Body = Encoding.UTF8.GetBytes(json) };
        response.Headers["Content-Type"] = "application/json";
        foreach (var (name, value) in headers) response.Headers[name] = value;
        return response;
    }
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 over raw sockets, one request per connection, so that tests control every
/// byte: cut a body half-way, answer 500 to one request, redirect forever. Requests are recorded.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeRequest, Task<FakeResponse>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeHttpServer(Func<FakeRequest, Task<FakeResponse>> handler)
    {
        _handler = handler;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var request = await ReadRequestAsync(stream);
            if (request is null) return;
            Requests.Enqueue(request);
            var response = await _handler(request);
            await WriteResponseAsync(socket, stream, request, response);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { }
    }

    private async Task<FakeRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new MemoryStream();
        byte[] one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return null;
            if (head.Length == 0 && one[0] == 0x16) return null; // a TLS ClientHello: plain HTTP only here, hang up
            head.WriteByte(one[0]);
            if (head.Length > 65536) throw new IOException("request head too large");
        }
        string[] lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        byte[] body = [];
        if (headers.TryGetValue("content-length", out var length) && long.Parse(length) > 0)
        {
            body = new byte[long.Parse(length)];
            await stream.ReadExactlyAsync(body, _stop.Token);
        }
        else if (headers.GetValueOrDefault("transfer-encoding")?.Contains("chunked") == true)
        {
            body = await ReadChunkedAsync(stream);
        }
        return new FakeRequest(requestLine[0], requestLine[1], headers, body);
    }

    private async Task<byte[]> ReadChunkedAsync(NetworkStream stream)
    {
        var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(stream);
            int size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(stream)).Length > 0) { }
                return body.ToArray();
            }
            byte[] chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, _stop.Token);
            body.Write(chunk);
            await ReadLineAsync(stream);
        }
    }

    private async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (await stream.ReadAsync(one, _stop.Token) > 0)
        {
            if (one[0] == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)one[0]);
        }
        throw new IOException("connection closed mid-line");
    }

    private static bool EndsWithBlankLine(MemoryStream head)
    {
        if (head.Length < 4) return false;
        var buffer = head.GetBuffer();
        long n = head.Length;
        return buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n';
    }

    private async Task WriteResponseAsync(Socket socket, NetworkStream stream, FakeRequest request, FakeResponse response)
    {
        var head = new StringBuilder();
        head.Append($"HTTP/1.1 {response.Status} {ReasonOf(response.Status)}\r\n");
        foreach (var (name, value) in response.Headers)
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) head.Append($"{name}: {value}\r\n");
        long length = response.Headers.TryGetValue("Content-Length", out var declared) ? long.Parse(declared) : response.Body.Length;
        head.Append($"Content-Length: {length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
        if (request.Method == "HEAD") return;
        if (response.Delay > TimeSpan.Zero) await Task.Delay(response.Delay, _stop.Token);
        if (response.CutAfter is { } cut)
        {
            await stream.WriteAsync(response.Body.AsMemory(0, (int)Math.Min(cut, response.Body.Length)), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            // A clean close (not a reset), so the client surely receives the bytes sent before the body ends short.
            socket.Shutdown(SocketShutdown.Both);
            return;
        }
        await stream.WriteAsync(response.Body, _stop.Token);
        await stream.FlushAsync(_stop.Token);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK", 201 => "Created", 202 => "Accepted", 206 => "Partial Content", 302 => "Found", 307 => "Temporary Redirect",
        400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", 500 => "Internal Server Error",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
    }
}
