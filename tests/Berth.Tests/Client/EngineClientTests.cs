using System.Net;
using System.Text;
using Berth.Client;
using Berth.Client.Hosts;
using Berth.Client.Http;
using Berth.Client.Streams;

namespace Berth.Tests.Client;

public sealed class EngineClientTests
{
    private static EngineClient ClientFor(FakeDaemon daemon) => new(new DaemonConnector(DaemonHost.Unix(daemon.SocketPath), null));

    [Fact]
    public async Task NegotiatesTheDaemonsVersionAndPrefixesPaths()
    {
        var paths = new List<string>();
        await using var daemon = new FakeDaemon(async (head, stream, _) =>
        {
            lock (paths)
                paths.Add(head.Split(' ')[0] + " " + head.Split(' ')[1]);
            await FakeDaemon.RespondAsync(stream, 200, head.StartsWith("HEAD", StringComparison.Ordinal) ? "" : "[]");
        });
        using var client = ClientFor(daemon);
        await client.ListContainersAsync(all: true, 0, false, null, CancellationToken.None);
        Assert.Equal("1.41", client.ApiVersion);
        Assert.Equal(["HEAD /_ping", "GET /v1.41/containers/json?all=1"], paths);
    }

    [Fact]
    public async Task ErrorStatusCarriesTheDaemonsMessage()
    {
        await using var daemon = new FakeDaemon((head, stream, _) => head.StartsWith("HEAD", StringComparison.Ordinal)
            ? FakeDaemon.RespondAsync(stream, 200, "")
            : FakeDaemon.RespondAsync(stream, 404, "{\"message\":\"No such container: nosuch\"}"));
        using var client = ClientFor(daemon);
        var error = await Assert.ThrowsAsync<EngineApiException>(() => client.InspectContainerAsync("nosuch", false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("No such container: nosuch", error.Message);
    }

    [Fact]
    public async Task UnreachableDaemonIsReportedByAddress()
    {
        using var client = new EngineClient(new DaemonConnector(DaemonHost.Unix("/nonexistent/berth.sock"), null));
        var error = await Assert.ThrowsAsync<DaemonUnreachableException>(() => client.PingAsync(CancellationToken.None));
        Assert.Contains("unix:///nonexistent/berth.sock", error.Message);
    }

    [Fact]
    public async Task HijackCarriesStdinUntilHalfCloseAndReadsFramesBack()
    {
        await using var daemon = new FakeDaemon(async (head, stream, socket) =>
        {
            if (head.StartsWith("HEAD", StringComparison.Ordinal))
            {
                await FakeDaemon.RespondAsync(stream, 200, "");
                return;
            }
            Assert.Contains("Upgrade: tcp", head);
            Assert.Contains("/v1.41/containers/c1/attach?stderr=1&stdin=1&stdout=1&stream=1", head);
            await stream.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
            // Echo stdin back as stdout frames until the client half-closes, then say goodbye on stderr.
            var buffer = new byte[1024];
            int read;
            var received = new MemoryStream();
            while ((read = await stream.ReadAsync(buffer)) > 0)
                received.Write(buffer, 0, read);
            MultiplexedStreamReader.WriteFrame(stream, StdStreamType.Stdout, received.ToArray());
            MultiplexedStreamReader.WriteFrame(stream, StdStreamType.Stderr, "bye"u8);
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });
        using var client = ClientFor(daemon);
        await using var connection = await client.AttachContainerAsync("c1", stdin: true, stdout: true, stderr: true, logs: false, null, CancellationToken.None);
        Assert.True(connection.Multiplexed);
        await connection.Stream.WriteAsync("hello stdin"u8.ToArray());
        await connection.CloseWriteAsync();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await new MultiplexedStreamReader(connection.Stream).DemuxAsync(stdout, stderr, CancellationToken.None);
        Assert.Equal("hello stdin", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("bye", Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task HijackRefusalIsAnApiError()
    {
        await using var daemon = new FakeDaemon((head, stream, _) => head.StartsWith("HEAD", StringComparison.Ordinal)
            ? FakeDaemon.RespondAsync(stream, 200, "")
            : FakeDaemon.RespondAsync(stream, 409, "{\"message\":\"container c1 is not running\"}"));
        using var client = ClientFor(daemon);
        var error = await Assert.ThrowsAsync<EngineApiException>(() =>
            client.AttachContainerAsync("c1", true, true, true, false, null, CancellationToken.None));
        Assert.Equal("container c1 is not running", error.Message);
    }

    [Fact]
    public async Task WaitReturnsOnceRegisteredAndYieldsTheExitCode()
    {
        var release = new TaskCompletionSource();
        await using var daemon = new FakeDaemon(async (head, stream, _) =>
        {
            if (head.StartsWith("HEAD", StringComparison.Ordinal))
            {
                await FakeDaemon.RespondAsync(stream, 200, "");
                return;
            }
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
            await stream.FlushAsync();
            await release.Task;
            var body = "{\"StatusCode\":3,\"Error\":null}\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"));
        });
        using var client = ClientFor(daemon);
        using var wait = await client.WaitContainerAsync("c1", "next-exit", CancellationToken.None);
        Assert.False(wait.Result.IsCompleted);
        release.SetResult();
        Assert.Equal(3, await wait.Result);
    }
}
