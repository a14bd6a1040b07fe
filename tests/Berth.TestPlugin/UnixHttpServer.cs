using System.Net.Sockets;
using System.Text;

namespace Berth.TestPlugin;

/// <summary>
/// Just enough HTTP/1.1 for the plugin protocol: POST requests with a Content-Length or chunked body, keep-alive
/// connections (Docker's Go client reuses them), and a JSON answer per request.
/// </summary>
internal sealed class UnixHttpServer(string socketPath, Func<string, byte[], PluginResponse> handle)
{
    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
        File.Delete(socketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(64);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(ct);
                _ = Task.Run(() => ServeAsync(client, ct), ct);
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            File.Delete(socketPath);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var reader = new BufferedReader(stream);
        try
        {
            while (true)
            {
                var requestLine = await reader.ReadLineAsync(ct);
                if (requestLine is null)
                    return;
                if (requestLine.Length == 0)
                    continue;
                var parts = requestLine.Split(' ');
                var path = parts.Length > 1 ? parts[1] : "/";
                long length = 0;
                var chunked = false;
                var close = parts.Length > 2 && parts[2] == "HTTP/1.0";
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(ct)))
                {
                    var colon = line.IndexOf(':');
                    if (colon < 0)
                        continue;
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                        chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                    else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                        close |= value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
                if (line is null)
                    return;
                var body = chunked ? await reader.ReadChunkedAsync(ct) : await reader.ReadExactlyAsync((int)length, ct);

                PluginResponse response;
                try
                {
                    response = handle(path.TrimStart('/'), body);
                }
                catch (Exception e)
                {
                    response = PluginResponse.Error(e.Message);
                }
                var head = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : "Error")}\r\n" +
                    "Content-Type: application/vnd.docker.plugins.v1+json\r\n" +
                    $"Content-Length: {response.Body.Length}\r\n" +
                    (close ? "Connection: close\r\n" : "") + "\r\n");
                await stream.WriteAsync(head, ct);
                await stream.WriteAsync(response.Body, ct);
                if (close)
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
        {
        }
    }

    /// <summary>Reads CRLF lines and exact byte counts from one connection.</summary>
    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[16 * 1024];
        private int start, end;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (start == end && !await FillAsync(ct))
                    return line.Count == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                var b = buffer[start++];
                if (b == '\n')
                {
                    if (line.Count > 0 && line[^1] == '\r')
                        line.RemoveAt(line.Count - 1);
                    return Encoding.UTF8.GetString(line.ToArray());
                }
                line.Add(b);
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var done = 0;
            while (done < count)
            {
                if (start == end && !await FillAsync(ct))
                    throw new IOException("connection closed inside a request body");
                var n = Math.Min(count - done, end - start);
                Array.Copy(buffer, start, result, done, n);
                start += n;
                done += n;
            }
            return result;
        }

        public async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct) ?? throw new IOException("connection closed inside a chunked body");
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await ReadLineAsync(ct))) { }
                    return body.ToArray();
                }
                body.Write(await ReadExactlyAsync(size, ct));
                await ReadLineAsync(ct);
            }
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            start = 0;
            end = await stream.ReadAsync(buffer, ct);
            return end > 0;
        }
    }
}
