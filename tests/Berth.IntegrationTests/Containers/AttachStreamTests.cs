using System.Net.Sockets;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// Attach streams whose output the shim writes straight to the client's connection (the daemon passes it along):
/// several clients at once each get all of it, and a client that hangs up mid-stream costs the container nothing.
/// </summary>
public sealed class AttachStreamTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Two_attached_clients_and_the_log_each_get_the_whole_output()
    {
        const int Lines = 100_000;
        string id = (await Daemon.DockerAsync("create", "busybox", "sh", "-c", $"seq 1 {Lines}")).EnsureSuccess().Stdout.Trim();
        using var first = await RawAttach.OpenAsync(Daemon.Socket, id);
        using var second = await RawAttach.OpenAsync(Daemon.Socket, id);
        (await Daemon.DockerAsync("start", id)).EnsureSuccess();

        string expected = string.Concat(Enumerable.Range(1, Lines).Select(i => $"{i}\n"));
        // Read side by side: an attacher that takes nothing for 3 s is dropped (back-pressure), so no serial reads.
        var outputs = await Task.WhenAll(first.ReadStdoutToEndAsync(), second.ReadStdoutToEndAsync());
        Assert.Equal(expected, outputs[0]);
        Assert.Equal(expected, outputs[1]);
        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        Assert.Equal(expected, (await Daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_stream_leaves_the_container_and_its_log_whole()
    {
        const int Lines = 1_000_000;
        string id = (await Daemon.DockerAsync("create", "busybox", "sh", "-c", $"seq 1 {Lines}")).EnsureSuccess().Stdout.Trim();
        using (var attach = await RawAttach.OpenAsync(Daemon.Socket, id))
        {
            (await Daemon.DockerAsync("start", id)).EnsureSuccess();
            await attach.ReadAtLeastAsync(64 * 1024);
        } // hung up with most of the output still to come

        Assert.Equal("0", (await Daemon.DockerAsync("wait", id)).EnsureSuccess().Stdout.Trim());
        var logs = (await Daemon.DockerAsync("logs", "--tail", "1", id)).EnsureSuccess();
        Assert.Equal($"{Lines}\n", logs.Stdout);
        // The daemon is still fine: a new attach-and-run works.
        Assert.Equal("after\n", (await Daemon.DockerAsync("run", "--rm", "busybox", "echo", "after")).EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    /// <summary>A hijacked POST /containers/{id}/attach made by hand, as the docker CLI makes it (Upgrade: tcp).</summary>
    private sealed class RawAttach : IDisposable
    {
        private readonly Socket _socket;
        private readonly MemoryStream _received = new();

        private RawAttach(Socket socket) => _socket = socket;

        public static async Task<RawAttach> OpenAsync(string daemonSocket, string id)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemonSocket));
            string request = $"POST /v1.41/containers/{id}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\n" +
                             "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var attach = new RawAttach(socket);
            await attach.ReadHeadAsync();
            return attach;
        }

        private async Task ReadHeadAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[4096];
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.True(n > 0, "the daemon closed the attach connection before answering");
                _received.Write(buffer, 0, n);
                byte[] all = _received.ToArray();
                int end = all.AsSpan().IndexOf("\r\n\r\n"u8);
                if (end < 0) continue;
                Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(all, 0, end));
                _received.SetLength(0);
                _received.Write(all, end + 4, all.Length - end - 4);
                return;
            }
        }

        public async Task ReadAtLeastAsync(int bytes)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[65536];
            while (_received.Length < bytes)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0) return;
                _received.Write(buffer, 0, n);
            }
        }

        /// <summary>Reads to the end of the stream and joins the stdout frames (8-byte headers: stream, 0, 0, 0, length).</summary>
        public async Task<string> ReadStdoutToEndAsync()
        {
            await ReadAtLeastAsync(int.MaxValue);
            byte[] all = _received.ToArray();
            var stdout = new MemoryStream();
            for (int at = 0; at < all.Length;)
            {
                Assert.True(at + 8 <= all.Length, "a frame header was cut short");
                int length = (all[at + 4] << 24) | (all[at + 5] << 16) | (all[at + 6] << 8) | all[at + 7];
                Assert.True(at + 8 + length <= all.Length, "a frame was cut short");
                if (all[at] == 1) stdout.Write(all, at + 8, length);
                at += 8 + length;
            }
            return Encoding.ASCII.GetString(stdout.ToArray());
        }

        public void Dispose() => _socket.Dispose();
    }
}
