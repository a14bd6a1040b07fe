using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Berth.Client.Http;

namespace Berth.Client.Hijack;

/// <summary>
/// A connection taken over after an HTTP/1.1 <c>Upgrade: tcp</c> request (attach, exec start): after the daemon's
/// 101 (or 200 from old daemons) the socket carries raw stdin one way and the container's output the other.
/// HttpClient cannot hand over its socket, so this writes the request and reads the response head itself.
/// </summary>
public sealed class HijackedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private int _writeClosed;

    private HijackedConnection(Socket socket, Stream stream, HttpResponseHead head)
    {
        _socket = socket;
        Stream = stream;
        Head = head;
    }

    /// <summary>The raw duplex stream: write stdin, read output (multiplexed frames unless the container has a TTY).</summary>
    public Stream Stream { get; }

    public HttpResponseHead Head { get; }

    /// <summary>
    /// The content type the daemon announced: true for multiplexed frames, false for raw, null if unknown.
    /// Only meaningful from API 1.42 on; older daemons say "raw" for every stream.
    /// </summary>
    public bool? Multiplexed => Head.Header("Content-Type") switch
    {
        "application/vnd.docker.multiplexed-stream" => true,
        "application/vnd.docker.raw-stream" => false,
        _ => null,
    };

    public static async Task<HijackedConnection> OpenAsync(DaemonConnector connector, string method, string pathAndQuery,
        byte[]? body, string userAgent, CancellationToken cancellationToken)
    {
        var (socket, stream) = await connector.ConnectAsync(cancellationToken);
        try
        {
            var request = new StringBuilder()
                .Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(connector.HttpHost).Append("\r\n")
                .Append("User-Agent: ").Append(userAgent).Append("\r\n")
                .Append("Connection: Upgrade\r\n")
                .Append("Upgrade: tcp\r\n");
            if (body is not null)
                request.Append("Content-Type: application/json\r\n");
            else
                request.Append("Content-Type: text/plain\r\n");
            request.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellationToken);
            if (body is { Length: > 0 })
                await stream.WriteAsync(body, cancellationToken);
            await stream.FlushAsync(cancellationToken);

            var head = await HttpResponseHead.ReadAsync(stream, cancellationToken);
            if (head.StatusCode is not (101 or 200))
            {
                var errorBody = await ReadErrorBodyAsync(stream, head, cancellationToken);
                throw new EngineApiException((HttpStatusCode)head.StatusCode, ErrorMessage.From((HttpStatusCode)head.StatusCode, errorBody));
            }
            return new HijackedConnection(socket, stream, head);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static async Task<byte[]> ReadErrorBodyAsync(Stream stream, HttpResponseHead head, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (int.TryParse(head.Header("Content-Length"), out var length))
        {
            var bytes = new byte[Math.Min(length, 1 << 20)];
            await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            return bytes;
        }
        if (string.Equals(head.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
            return await ChunkedBody.ReadAsync(stream, 1 << 20, cancellationToken);
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>
    /// Signals the end of stdin: shuts down the sending half of the socket so the daemon sees EOF while output
    /// keeps flowing back. Over TLS a close_notify is sent instead, which ends the whole TLS session's writes.
    /// </summary>
    public async Task CloseWriteAsync()
    {
        if (Interlocked.Exchange(ref _writeClosed, 1) != 0)
            return;
        try
        {
            await Stream.FlushAsync();
            if (Stream is SslStream ssl)
                await ssl.ShutdownAsync();
            else
                _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The daemon already closed its end: nothing left to signal.
        }
    }

    public async ValueTask DisposeAsync() => await Stream.DisposeAsync();
}
