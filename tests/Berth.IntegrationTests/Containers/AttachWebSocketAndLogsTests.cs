using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// The attach forms other than the docker CLI's: over a websocket (GET /containers/{id}/attach/ws, what browser
/// consoles use) and with logs=1 (docker-py's attach(logs=True)), each checked against what dockerd answers.
/// </summary>
public sealed class AttachWebSocketAndLogsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_websocket_attach_carries_stdin_and_the_raw_output_then_closes_when_the_container_ends()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "-i", "busybox", "sh", "-c", "echo before; read l; echo got-$l; echo err-$l >&2; echo done"))
            .EnsureSuccess().Stdout.Trim();
        using var socket = await ConnectAsync($"/v1.44/containers/{id}/attach/ws?stream=1&stdin=1&stdout=1&stderr=1&logs=1");

        // logs=1 replays what came before the attach, unframed; then stdin goes in and both streams come out raw.
        Assert.Equal("before\n", await ReceiveTextAsync(socket, "before\n".Length));
        await socket.SendAsync("one\n"u8.ToArray(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        string output = await ReceiveTextAsync(socket, "got-one\nerr-one\ndone\n".Length);
        Assert.Equal(["done", "err-one", "got-one"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        // The container ended: the session closes normally, as dockerd's does.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var end = await socket.ReceiveAsync(new byte[16], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, end.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task A_websocket_attach_with_logs_only_replays_the_log_and_closes_and_bad_requests_are_refused_as_dockerd_refuses_them()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "-t", "busybox", "sh", "-c", "echo hello; sleep 600")).EnsureSuccess().Stdout.Trim();
        await WaitForLogAsync(id, "hello");
        using (var socket = await ConnectAsync($"/containers/{id}/attach/ws?logs=1&stream=0&stdout=1"))
        {
            Assert.Equal("hello\r\n", await ReceiveTextAsync(socket, "hello\r\n".Length));
            Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveAsync(new byte[16], CancellationToken.None)).MessageType);
        }

        using var plain = await Daemon.Http.GetAsync($"/containers/{id}/attach/ws?stream=1");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("not websocket protocol", await plain.Content.ReadAsStringAsync());
        using var missing = await Daemon.Http.GetAsync("/containers/no-such-container/attach/ws?stream=1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task An_attach_with_logs_replays_them_in_frames_and_without_stream_ends_there_announcing_the_attach()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", "echo out; echo err >&2; sleep 600")).EnsureSuccess().Stdout.Trim();
        await WaitForLogAsync(id, "err");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();

        // Without Upgrade the answer is a 200 whose body is the multiplexed log, and it ends: stream=0.
        using var response = await Daemon.Http.PostAsync($"/v1.44/containers/{id}/attach?logs=1&stream=0&stdout=1&stderr=1", null);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([(1, "out\n"), (2, "err\n")], Frames(body));

        using var onlyStderr = await Daemon.Http.PostAsync($"/v1.44/containers/{id}/attach?logs=1&stream=0&stderr=1", null);
        Assert.Equal([(2, "err\n")], Frames(await onlyStderr.Content.ReadAsByteArrayAsync()));

        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
        string events = (await Daemon.DockerAsync("events", "--since", since.ToString(), "--until", until.ToString(),
            "--filter", "container=" + id, "--filter", "event=attach", "--format", "{{.Action}}")).EnsureSuccess().Stdout;
        Assert.Equal(["attach", "attach"], events.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await Daemon.DockerAsync("rm", "-f", id);
    }

    private async Task<ClientWebSocket> ConnectAsync(string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(Daemon.Socket), cancellationToken);
                return new NetworkStream(unix, ownsSocket: true);
            },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri("ws://berthd" + pathAndQuery), invoker, timeout.Token);
        return socket;
    }

    /// <summary>Messages until <paramref name="length"/> bytes came; each must be a binary message (API 1.28+).</summary>
    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, int length)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (received.Length < length)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            received.Write(buffer, 0, result.Count);
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private async Task WaitForLogAsync(string id, string text)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var logs = await Daemon.DockerAsync("logs", id);
            if ((logs.Stdout + logs.Stderr).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{text} never reached the log of {id}");
    }

    private static List<(int Stream, string Text)> Frames(byte[] body)
    {
        var frames = new List<(int, string)>();
        for (int offset = 0; offset + 8 <= body.Length;)
        {
            int size = (body[offset + 4] << 24) | (body[offset + 5] << 16) | (body[offset + 6] << 8) | body[offset + 7];
            frames.Add((body[offset], Encoding.UTF8.GetString(body, offset + 8, size)));
            offset += 8 + size;
        }
        return frames;
    }
}
