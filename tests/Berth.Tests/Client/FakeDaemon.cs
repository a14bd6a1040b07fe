using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Client;

/// <summary>
/// A unix-socket server that answers with a handler per connection, for testing the client's HTTP and hijack code
/// without a daemon. The handler gets the request head and the raw connection.
/// </summary>
public sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _directory;

    public FakeDaemon(Func<string, NetworkStream, Socket, Task> handler)
    {
        _directory = Directory.CreateTempSubdirectory("berth-fake-").FullName;
        SocketPath = Path.Combine(_directory, "d.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    await using (var stream = new NetworkStream(client, ownsSocket: false))
                    {
                        while (await ReadHeadAsync(stream) is { } head)
                            await handler(head, stream, client);
                    }
                });
            }
        });
    }

    public string SocketPath { get; }

    public static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
                return Encoding.ASCII.GetString(bytes.ToArray());
        }
        return null;
    }

    public static Task RespondAsync(Stream stream, int status, string body, string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray()).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
        Directory.Delete(_directory, recursive: true);
    }
}
