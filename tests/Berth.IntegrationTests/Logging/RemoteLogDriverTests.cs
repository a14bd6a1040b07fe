using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Logging;

/// <summary>
/// The syslog, gelf and fluentd logging drivers through the real docker CLI and berth: each line reaches a server
/// listening on 127.0.0.1 (ports chosen free, a unix socket in a temporary directory) in dockerd's format, `docker
/// logs` reads the dual-logging cache, errors are dockerd's, and the shim keeps forwarding while berthd is down.
/// </summary>
public sealed partial class RemoteLogDriverTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Syslog_sends_each_line_over_udp_tcp_and_a_unix_socket_and_docker_logs_reads_the_cache()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        (await Daemon.DockerAsync("run", "--rm", "--log-driver", "syslog", "--log-opt", $"syslog-address=udp://127.0.0.1:{udpPort}",
            "busybox", "sh", "-c", "echo hello; sleep 0.1; echo err >&2; printf 'a\\n\\nb'")).EnsureSuccess();
        var datagrams = new List<string>();
        for (int i = 0; i < 4; i++) datagrams.Add(Encoding.UTF8.GetString((await udp.ReceiveAsync().WaitAsync(Wait)).Buffer));
        Assert.Matches(DefaultSyslogLine(), datagrams[0]);
        Assert.EndsWith(": hello\n", datagrams[0]);
        Assert.StartsWith("<27>", Assert.Single(datagrams, d => d.EndsWith(": err\n", StringComparison.Ordinal)));
        Assert.Equal(["a", "b", "err", "hello"], datagrams.Select(d => d[(d.IndexOf("]: ", StringComparison.Ordinal) + 3)..^1]).Order()); // no empty line

        // TCP through the berth CLI, RFC 5424 with a rendered tag; then docker logs reads the cache.
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        int tcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        string name = "sys-" + Guid.NewGuid().ToString("N")[..8];
        var received = ReadStreamAsync(tcp, text => text.Count(c => c == '\n') >= 2);
        (await Daemon.BerthAsync("run", "-d", "--name", name, "--log-driver", "syslog", "--log-opt", $"syslog-address=tcp://127.0.0.1:{tcpPort}",
            "--log-opt", "syslog-format=rfc5424", "--log-opt", "syslog-facility=local0", "--log-opt", "tag={{.Name}}/{{.ImageName}}",
            "busybox", "sh", "-c", "echo one; echo two")).EnsureSuccess();
        var lines = (await received.WaitAsync(Wait)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($@"^<134>1 \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) \S+ {name}/busybox \d+ {name}/busybox - one$", lines[0]);
        Assert.EndsWith(" - two", lines[1]);
        await Daemon.DockerAsync("wait", name);
        Assert.Equal("one\ntwo\n", (await Daemon.DockerAsync("logs", name)).EnsureSuccess().Stdout);
        Assert.Equal("", (await Daemon.DockerAsync("inspect", "-f", "{{.HostConfig.LogConfig.Type}}{{.LogPath}}", name)).Stdout.Trim().Replace("syslog", ""));

        // A unix datagram socket.
        string dir = Directory.CreateTempSubdirectory("berth-syslog-").FullName;
        try
        {
            using var unixgram = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            unixgram.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, "log.sock")));
            (await Daemon.DockerAsync("run", "--rm", "--log-driver", "syslog", "--log-opt", $"syslog-address=unixgram://{dir}/log.sock",
                "busybox", "echo", "via unixgram")).EnsureSuccess();
            var buffer = new byte[4096];
            int n = await unixgram.ReceiveAsync(buffer).WaitAsync(Wait);
            Assert.Matches(DefaultSyslogLine(), Encoding.UTF8.GetString(buffer, 0, n));
            Assert.EndsWith(": via unixgram\n", Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        await Daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task Gelf_over_udp_and_fluentd_over_tcp_carry_dockers_fields()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        string name = "gelf-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("run", "--rm", "--name", name, "--label", "team=a", "--log-driver", "gelf", "--log-opt", $"gelf-address=udp://127.0.0.1:{udpPort}",
            "--log-opt", "labels=team", "busybox", "sh", "-c", "echo '<hello>' >&2")).EnsureSuccess();
        var datagram = (await udp.ReceiveAsync().WaitAsync(Wait)).Buffer;
        Assert.Equal([0x1f, 0x8b], datagram[..2]); // gzip, GELF's default
        using var gzip = new GZipStream(new MemoryStream(datagram), CompressionMode.Decompress);
        var json = Encoding.UTF8.GetString(ReadAll(gzip));
        Assert.StartsWith("{\"version\":\"1.1\",\"host\":", json);
        Assert.Contains("\"short_message\":\"\\u003chello\\u003e\"", json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal((3, name, "busybox", "a"), (root.GetProperty("level").GetInt32(), root.GetProperty("_container_name").GetString(),
            root.GetProperty("_image_name").GetString(), root.GetProperty("_team").GetString()));
        Assert.Equal(root.GetProperty("_container_id").GetString()![..12], root.GetProperty("_tag").GetString());

        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        int tcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        var received = ReadStreamAsync(tcp, text => text.Contains("world", StringComparison.Ordinal) && text.EndsWith('\u0080'));
        string id = (await Daemon.DockerAsync("run", "-d", "--log-driver", "fluentd", "--log-opt", $"fluentd-address=127.0.0.1:{tcpPort}",
            "busybox", "sh", "-c", "echo hello; echo world")).EnsureSuccess().Stdout.Trim();
        var bytes = Encoding.Latin1.GetBytes(await received.WaitAsync(Wait));
        Assert.Equal(0x94, bytes[0]); // [tag, time, record, option]
        Assert.Equal("\u00ac" + id[..12], Encoding.Latin1.GetString(bytes, 1, 13)); // the tag: the short ID, as Docker's default
        string text = Encoding.Latin1.GetString(bytes);
        Assert.Contains("\u00a3log\u00a5hello", text);
        Assert.Contains("\u00a3log\u00a5world", text);
        Assert.Contains("\u00a6source\u00a6stdout", text);
        Assert.Contains("\u00accontainer_id\u00d9@" + id, text);
        await Daemon.DockerAsync("wait", id);
        Assert.Equal("hello\nworld\n", (await Daemon.DockerAsync("logs", id)).EnsureSuccess().Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Bad_options_unreachable_servers_and_a_disabled_cache_fail_with_dockers_messages()
    {
        var unknown = await Daemon.DockerAsync("create", "--log-driver", "syslog", "--log-opt", "x=1", "busybox");
        Assert.Contains("unknown log opt 'x' for syslog log driver", unknown.Stderr);
        Assert.Contains("Invalid syslog format", (await Daemon.DockerAsync("create", "--log-driver", "syslog", "--log-opt", "syslog-format=x", "busybox")).Stderr);
        Assert.Contains("gelf-address is a required parameter", (await Daemon.DockerAsync("create", "--log-driver", "gelf", "busybox")).Stderr);

        int closed = ClosedPort();
        var refused = await Daemon.DockerAsync("run", "--rm", "--log-driver", "fluentd", "--log-opt", $"fluentd-address=127.0.0.1:{closed}", "busybox", "true");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"failed to initialize logging driver: dial tcp 127.0.0.1:{closed}: connect: connection refused", refused.Stderr);
        if (!File.Exists("/run/systemd/journal/socket"))
            Assert.Contains("failed to initialize logging driver: journald is not enabled on this host",
                (await Daemon.DockerAsync("run", "--rm", "--log-driver", "journald", "busybox", "true")).Stderr);

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        string id = (await Daemon.DockerAsync("run", "-d", "--log-driver", "syslog", "--log-opt", $"syslog-address=udp://127.0.0.1:{udpPort}",
            "--log-opt", "cache-disabled=true", "busybox", "echo", "uncached")).EnsureSuccess().Stdout.Trim();
        Assert.EndsWith(": uncached\n", Encoding.UTF8.GetString((await udp.ReceiveAsync().WaitAsync(Wait)).Buffer));
        var logs = await Daemon.DockerAsync("logs", id);
        Assert.Contains("configured logging driver does not support reading", logs.Stderr);
        Assert.Equal("[fluentd gelf journald json-file local syslog]\n", (await Daemon.DockerAsync("info", "--format", "{{.Plugins.Log}}")).Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task The_shim_keeps_forwarding_while_berthd_is_killed()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        string id = (await Daemon.DockerAsync("run", "-d", "--log-driver", "syslog", "--log-opt", $"syslog-address=udp://127.0.0.1:{udpPort}",
            "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.1; done")).EnsureSuccess().Stdout.Trim();
        await udp.ReceiveAsync().WaitAsync(Wait);
        await Daemon.KillAsync();
        try
        {
            // Drain what was sent before the kill, then count what arrives while no daemon runs.
            while (udp.Available > 0) await udp.ReceiveAsync();
            var ticks = new List<string>();
            var until = DateTime.UtcNow.AddSeconds(1.5);
            while (DateTime.UtcNow < until)
                ticks.Add(Encoding.UTF8.GetString((await udp.ReceiveAsync().WaitAsync(Wait)).Buffer));
            Assert.True(ticks.Count >= 5, string.Join("", ticks));
            Assert.All(ticks, tick => Assert.Matches(@": tick\d+\n$", tick));
        }
        finally
        {
            await Daemon.LaunchAsync();
        }
        Assert.Contains("tick", (await Daemon.DockerAsync("logs", "--tail", "1", id)).Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    /// <summary>Docker's default syslog form: no hostname, the tag (the short ID) and a pid.</summary>
    [GeneratedRegex(@"^<30>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [0-9a-f]{12}\[\d+\]: ")]
    private static partial Regex DefaultSyslogLine();

    /// <summary>
    /// Accepts connections (the daemon's check at start opens and closes one) and returns what the first one that sends
    /// anything sent, once it is <paramref name="complete"/> (read as Latin-1).
    /// </summary>
    private static async Task<string> ReadStreamAsync(TcpListener listener, Func<string, bool> complete)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            var received = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
                string text = Encoding.Latin1.GetString(received.ToArray());
                if (complete(text)) return text;
            }
            if (received.Length > 0) return Encoding.Latin1.GetString(received.ToArray());
        }
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
