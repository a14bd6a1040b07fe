using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Plugins;

/// <summary>
/// A plugin stand-in on a unix socket: answers each POST with what <see cref="Answer"/> returns for its path and
/// records the requests (path, Accept header, body), one request per connection.
/// </summary>
public sealed class FakePluginServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();

    public FakePluginServer(string socketPath)
    {
        SocketPath = socketPath;
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(16);
        _ = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    /// <summary>Path ("/VolumeDriver.Get") to (status, JSON body).</summary>
    public Func<string, (int Status, string Body)> Answer { get; set; } = _ => (200, "{}");

    public List<(string Path, string Accept, string Body)> Requests { get; } = [];

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            int n = await client.ReceiveAsync(buffer);
            if (n == 0) return;
            received.AddRange(buffer.AsSpan(0, n));
        }
        string head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        var lines = head.Split("\r\n");
        string path = lines[0].Split(' ')[1];
        string Header(string name) => lines.Skip(1).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "";
        int length = int.Parse(Header("Content-Length") is { Length: > 0 } l ? l : "0", System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headerEnd + 4 + length)
        {
            int n = await client.ReceiveAsync(buffer);
            if (n == 0) return;
            received.AddRange(buffer.AsSpan(0, n));
        }
        string body = Encoding.UTF8.GetString(received.GetRange(headerEnd + 4, length).ToArray());
        lock (Requests) Requests.Add((path, Header("Accept"), body));
        var (status, answer) = Answer(path);
        byte[] bytes = Encoding.UTF8.GetBytes(answer);
        await client.SendAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} X\r\nContent-Type: application/vnd.docker.plugins.v1+json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"));
        await client.SendAsync(bytes);
    }

    private static int IndexOfHeaderEnd(List<byte> data)
    {
        for (int i = 0; i + 3 < data.Count; i++)
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i;
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        File.Delete(SocketPath);
    }
}
