using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Shim;
using Berth.Shim.Io;
using Berth.Shim.Log.Forward;
using Berth.Shim.Loop;

namespace Berth.Tests.Shim;

/// <summary>The shim's messages for syslog, GELF, fluentd and journald, byte for byte as dockerd 20.10 sends them.</summary>
public class LogForwardEncoderTests
{
    private const long Time = 1_795_978_987_622_345_678; // 2026-11-29T19:03:07.622345678Z

    private static ForwardConfig Forward(string json) =>
        ShimConfig.Parse(Encoding.UTF8.GetBytes($$"""{ "id": "x", "logForward": {{json}} }"""), "shim.json").LogForward!;

    private static byte[] Encode(IMessageEncoder encoder, string line, OutputStream stream = OutputStream.Stdout, bool partial = false)
    {
        var output = new ByteBuilder();
        Assert.True(encoder.Encode(stream, Encoding.UTF8.GetBytes(line), partial, Time, output));
        return output.Span.ToArray();
    }

    /// <summary>What Go's time.Stamp and RFC 3339 print for <see cref="Time"/> in this machine's zone.</summary>
    private static DateTimeOffset Local => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(Time / 1_000_000), TimeZoneInfo.Local);

    private static string Zone(DateTimeOffset t) => t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Syslog_writes_dockers_default_rfc3164_and_rfc5424_forms()
    {
        var local = Local;
        string stamp = local.ToString("MMM", System.Globalization.CultureInfo.InvariantCulture) + " " + local.Day.ToString().PadLeft(2) + local.ToString(" HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var config = """{ "driver": "syslog", "network": "udp", "host": "127.0.0.1", "port": 514, "tag": "abc", "hostname": "vm", "facility": 3, "format": "FORMAT" }""";
        Assert.Equal($"<30>{stamp} abc[42]: hello\n", Encoding.UTF8.GetString(Encode(new SyslogEncoder(Forward(config.Replace("FORMAT", "")), 42), "hello")));
        Assert.Equal($"<27>{stamp} vm abc[42]: err\n",
            Encoding.UTF8.GetString(Encode(new SyslogEncoder(Forward(config.Replace("FORMAT", "rfc3164")), 42), "err", OutputStream.Stderr)));
        string rfc3339 = local.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"<30>1 {rfc3339}{Zone(local)} vm abc 42 abc - hello\n",
            Encoding.UTF8.GetString(Encode(new SyslogEncoder(Forward(config.Replace("FORMAT", "rfc5424")), 42), "hello")));
        Assert.Equal($"<30>1 {rfc3339}.622345{Zone(local)} vm abc 42 abc - hello\n",
            Encoding.UTF8.GetString(Encode(new SyslogEncoder(Forward(config.Replace("FORMAT", "rfc5424micro")), 42), "hello")));
        var local0 = new SyslogEncoder(Forward(config.Replace("FORMAT", "").Replace("\"facility\": 3", "\"facility\": 16")), 1);
        Assert.StartsWith("<134>", Encoding.UTF8.GetString(Encode(local0, "x")));
        Assert.False(local0.Encode(OutputStream.Stdout, default, false, Time, new ByteBuilder())); // empty lines are not sent
    }

    private const string GelfFields = """[["_command","sh -c echo <&>"],["_container_id","abc"],["_tag","t"]]""";

    [Fact]
    public void Gelf_writes_dockers_json_with_gos_escaping_and_a_nul_over_tcp()
    {
        var tcp = new GelfEncoder(Forward($$"""{ "driver": "gelf", "network": "tcp", "host": "127.0.0.1", "port": 1, "hostname": "vm", "fields": {{GelfFields}} }"""));
        var message = Encode(tcp, "hi \"x\"\u2028\u00e9", OutputStream.Stderr);
        Assert.Equal(0, message[^1]);
        Assert.Equal("""{"version":"1.1","host":"vm","short_message":"hi \"x\"\u2028é","timestamp":1795978987.622,"level":3,"_command":"sh -c echo \u003c\u0026\u003e","_container_id":"abc","_tag":"t"}""",
            Encoding.UTF8.GetString(message.AsSpan(0, message.Length - 1)));
        Assert.False(tcp.Encode(OutputStream.Stdout, default, false, Time, new ByteBuilder()));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("none")]
    public void Gelf_over_udp_compresses_as_asked(string compression)
    {
        var udp = new GelfEncoder(Forward($$"""{ "driver": "gelf", "network": "udp", "host": "127.0.0.1", "port": 1, "hostname": "vm", "compression": "{{compression}}", "fields": {{GelfFields}} }"""));
        var message = Encode(udp, "hello");
        using var input = new MemoryStream(message);
        using Stream reader = compression switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "zlib" => new ZLibStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var json = JsonDocument.Parse(reader);
        Assert.Equal(("hello", 6, 1795978987.622), (json.RootElement.GetProperty("short_message").GetString(), json.RootElement.GetProperty("level").GetInt32(),
            json.RootElement.GetProperty("timestamp").GetDouble()));
        if (compression == "gzip") Assert.Equal([0x1f, 0x8b], message[..2]);
    }

    [Fact]
    public void Gelf_chunks_a_big_udp_message_as_the_spec_says()
    {
        var message = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var datagrams = new List<byte[]>();
        Assert.True(GelfChunks.Split(message, 0x0102030405060708, new byte[GelfChunks.ChunkSize], (d, n) => datagrams.Add(d[..n])));
        Assert.Equal([1420, 1420, 196], datagrams.Select(d => d.Length));
        for (int i = 0; i < 3; i++)
            Assert.Equal([0x1e, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, (byte)i, 3], datagrams[i][..12]);
        Assert.Equal(message, datagrams.SelectMany(d => d[12..]).ToArray());
        Assert.False(GelfChunks.Split(new byte[1408 * 128 + 1], 1, new byte[GelfChunks.ChunkSize], (_, _) => { }));
    }

    [Fact]
    public void Fluentd_writes_the_forward_protocols_msgpack_with_dockers_record()
    {
        var config = """{ "driver": "fluentd", "network": "tcp", "host": "127.0.0.1", "port": 24224, "tag": "a773b529834a", "fields": [["container_id","abc"],["container_name","/fl"]] }""";
        var encoder = new FluentdEncoder(Forward(config));
        var expected = new List<byte> { 0x94, 0xac };
        expected.AddRange("a773b529834a"u8.ToArray());
        expected.AddRange([0xd2, 0x6b, 0x0c, 0x76, 0xeb]); // int32 seconds, as Go's msgp writes 1795978987
        expected.Add(0x84);
        foreach (var s in new[] { "container_id", "abc", "container_name", "/fl", "source", "stdout", "log", "hello" })
        {
            expected.Add((byte)(0xa0 | s.Length));
            expected.AddRange(Encoding.UTF8.GetBytes(s));
        }
        expected.Add(0x80);
        Assert.Equal(expected, Encode(encoder, "hello"));
        Assert.Equal([0xa3, (byte)'l', (byte)'o', (byte)'g', 0xa0, 0x80], Encode(encoder, "")[^6..]); // empty lines are sent

        var subSecond = new FluentdEncoder(Forward(config.Replace("\"tag\"", "\"subSecond\": true, \"tag\"")));
        var eventTime = Encode(subSecond, "x");
        Assert.Equal([0xd7, 0x00, 0x6b, 0x0c, 0x76, 0xeb], eventTime[14..20]);
        Assert.Equal(622345678u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(eventTime.AsSpan(20)));

        // A line cut without its newline carries Docker's partial members; the series ends with partial_last true.
        string first = Encoding.Latin1.GetString(Encode(encoder, "part", partial: true));
        string last = Encoding.Latin1.GetString(Encode(encoder, "end"));
        Assert.Contains("partial_ordinal\u00a11\u00acpartial_last\u00a5false", first);
        Assert.Contains("partial_ordinal\u00a12\u00acpartial_last\u00a4true", last);
        Assert.DoesNotContain("partial", Encoding.Latin1.GetString(Encode(encoder, "whole")));
    }

    [Fact]
    public void Msgpack_strings_and_integers_take_their_smallest_forms()
    {
        var output = new ByteBuilder();
        MsgPack.String(output, new byte[40]);
        Assert.Equal([0xd9, 40], output.Span[..2].ToArray());
        output.Clear();
        MsgPack.String(output, new byte[300]);
        Assert.Equal([0xda, 1, 44], output.Span[..3].ToArray());
        output.Clear();
        MsgPack.Integer(output, 5);
        MsgPack.Integer(output, 200);
        MsgPack.Integer(output, 5_000_000_000);
        Assert.Equal([5, 0xd1, 0, 200, 0xd3, 0, 0, 0, 1, 0x2a, 0x05, 0xf2, 0], output.Span.ToArray());
    }

    [Fact]
    public void Journald_writes_native_protocol_fields()
    {
        var encoder = new JournaldEncoder(Forward("""{ "driver": "journald", "network": "unixgram", "path": "/run/systemd/journal/socket", "fields": [["CONTAINER_ID","abc"],["SYSLOG_IDENTIFIER","t"]] }"""));
        Assert.Equal("MESSAGE=hi\nPRIORITY=3\nCONTAINER_ID=abc\nSYSLOG_IDENTIFIER=t\nCONTAINER_PARTIAL_MESSAGE=true\n",
            Encoding.UTF8.GetString(Encode(encoder, "hi", OutputStream.Stderr, partial: true)));
        var multiline = Encode(encoder, "a\rb");
        Assert.StartsWith("MESSAGE=a\rb\nPRIORITY=6\n", Encoding.UTF8.GetString(multiline));
    }

    [Fact]
    public void An_old_daemons_shim_json_has_no_forwarding_and_a_bad_driver_is_refused()
    {
        Assert.Null(ShimConfig.Parse("""{ "id": "x" }"""u8, "shim.json").LogForward);
        Assert.Throws<InvalidDataException>(() => Forward("""{ "driver": "splunk", "network": "tcp" }"""));
    }

    [Fact]
    public void The_daemons_shim_json_is_what_the_shim_reads()
    {
        var spec = new Berth.Engine.Runtime.Shim.ShimLaunchSpec("id", "/b", "/s", "/usr/sbin/runc", "/run/r", "/l", false, false, false, 0, 0, "/c",
            LogForward: new Berth.Engine.Runtime.Shim.LogForwardSpec("gelf", "udp", "::1", 12201, "", "t", "vm", 3, "", "zlib", 9, false, [["_a", "b"], ["_c", "d"]]));
        var json = JsonSerializer.SerializeToUtf8Bytes(Berth.Engine.Runtime.Shim.ShimConfigDocument.From(spec),
            Berth.Engine.Runtime.Shim.ShimJsonContext.Default.ShimConfigDocument);
        var forward = ShimConfig.Parse(json, "shim.json").LogForward!;
        Assert.Equal(("gelf", "udp", "::1", 12201, "t", "vm", "zlib", 9), (forward.Driver, forward.Network, forward.Host, forward.Port, forward.Tag, forward.Hostname,
            forward.Compression, forward.CompressionLevel));
        Assert.Equal([new("_a", "b"), new KeyValuePair<string, string>("_c", "d")], forward.Fields);

        var plain = JsonSerializer.Serialize(Berth.Engine.Runtime.Shim.ShimConfigDocument.From(spec with { LogForward = null }),
            Berth.Engine.Runtime.Shim.ShimJsonContext.Default.ShimConfigDocument);
        Assert.DoesNotContain("logForward", plain); // json-file containers' shim.json is as before
    }

    [Fact]
    public void The_forwarder_sends_each_line_from_its_thread_and_drains_on_dispose()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.ReceiveTimeout = 5000;
        int port = ((IPEndPoint)server.LocalEndPoint!).Port;
        using var loop = new EventLoop();
        var forwarder = new LogForwarder(loop, Forward($$"""{ "driver": "syslog", "network": "udp", "host": "127.0.0.1", "port": {{port}}, "tag": "t" }"""));
        Assert.True(forwarder.Room >= 64 * 1024);
        forwarder.Write(OutputStream.Stdout, "one\ntw"u8, Time);
        forwarder.Write(OutputStream.Stdout, "o\n\nthree"u8, Time);
        forwarder.Complete(OutputStream.Stdout, Time);
        forwarder.Dispose();
        var buffer = new byte[2048];
        var lines = Enumerable.Range(0, 3).Select(_ => Encoding.UTF8.GetString(buffer, 0, server.Receive(buffer))).ToList();
        Assert.Equal(["one", "two", "three"], lines.Select(l => l[(l.IndexOf("]: ", StringComparison.Ordinal) + 3)..].TrimEnd('\n')));
    }
}
