using System.Text;
using Berth.Engine.Logs;
using Berth.Shim;
using Berth.Shim.Io;
using Berth.Shim.Log.Forward;

namespace Berth.Tests.Shim;

/// <summary>
/// The logging-plugin stream: the shim's framed LogEntry messages byte for byte (proto3, 4-byte big-endian length),
/// read back by the daemon's decoder, and the decoder's errors on broken streams.
/// </summary>
public class LogEntryEncoderTests
{
    private const long Time = 1_795_978_987_622_345_678;

    private static byte[] Encode(string line, OutputStream stream = OutputStream.Stdout, bool partial = false, long time = Time)
    {
        var output = new ByteBuilder();
        Assert.True(new LogEntryEncoder().Encode(stream, Encoding.UTF8.GetBytes(line), partial, time, output));
        return output.Span.ToArray();
    }

    [Fact]
    public void A_line_is_a_length_prefixed_protobuf_message_without_default_fields()
    {
        byte[] expected = [0, 0, 0, 16, 0x0A, 6, .. "stdout"u8, 0x10, 1, 0x1A, 2, .. "hi"u8, 0x20, 1];
        Assert.Equal(expected, Encode("hi", partial: true, time: 1));
        // An empty line and no time: only the source is written.
        Assert.Equal([0, 0, 0, 8, 0x0A, 6, .. "stderr"u8], Encode("", OutputStream.Stderr, time: 0));
        // What Go's proto encoder writes for the time: a nine-byte varint.
        Assert.Equal([0x10, 0xCE, 0xD7, 0xAE, 0xEA, 0xFA, 0xAB, 0xA6, 0xF6, 0x18], Encode("", time: Time)[12..]);
    }

    [Fact]
    public void The_daemons_decoder_reads_what_the_shim_writes()
    {
        string longLine = new('x', 20_000);
        var frames = Encode("one").Concat(Encode("two", OutputStream.Stderr)).Concat(Encode(longLine, partial: true)).ToArray();
        var entries = LogEntryFrames.ReadAsync(new MemoryStream(frames), CancellationToken.None).ToBlockingEnumerable().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(("stdout", Time, "one", false), (entries[0].Source, entries[0].TimeNano, Encoding.UTF8.GetString(entries[0].Line), entries[0].Partial));
        Assert.Equal(("stderr", "two"), (entries[1].Source, Encoding.UTF8.GetString(entries[1].Line)));
        Assert.Equal((longLine, true), (Encoding.UTF8.GetString(entries[2].Line), entries[2].Partial));
        Assert.Equal(Encode("two", OutputStream.Stderr), LogEntryFrames.Encode(entries[1]));
    }

    [Fact]
    public void Unknown_fields_are_skipped_and_broken_streams_fail()
    {
        // partial_log_metadata (5) and attrs (6) as a plugin may send them; a fixed64 field too.
        byte[] message = [0x0A, 6, .. "stdout"u8, 0x2A, 2, 0x08, 1, 0x32, 0, 0x39, 1, 2, 3, 4, 5, 6, 7, 8, 0x1A, 1, (byte)'z'];
        var entry = LogEntryFrames.Decode(message);
        Assert.Equal(("stdout", "z"), (entry.Source, Encoding.UTF8.GetString(entry.Line)));

        byte[] cut = Encode("hello")[..^2];
        Assert.Throws<EndOfStreamException>(() => LogEntryFrames.ReadAsync(new MemoryStream(cut), CancellationToken.None).ToBlockingEnumerable().ToList());
        byte[] huge = [0x7F, 0, 0, 0];
        Assert.Throws<InvalidDataException>(() => LogEntryFrames.ReadAsync(new MemoryStream(huge), CancellationToken.None).ToBlockingEnumerable().ToList());
        Assert.Throws<InvalidDataException>(() => LogEntryFrames.Decode([0x1A, 9, 1]));
    }

    [Fact]
    public void Shim_json_takes_a_plugin_fifo_as_the_forward_target()
    {
        var config = ShimConfig.Parse("""{ "id": "x", "logForward": { "driver": "plugin", "network": "fifo", "path": "/run/x/fifo", "fields": [] } }"""u8, "shim.json").LogForward!;
        Assert.Equal(("plugin", "fifo", "/run/x/fifo"), (config.Driver, config.Network, config.Path));
        Assert.Throws<InvalidDataException>(() => ShimConfig.Parse("""{ "id": "x", "logForward": { "driver": "plugin", "network": "tcp" } }"""u8, "shim.json"));
    }

    [Theory]
    [InlineData("lp", true)]
    [InlineData("vieux/logger:latest", true)]
    [InlineData("json-file", false)]
    [InlineData("syslog", false)]
    [InlineData("none", false)]
    [InlineData("awslogs", false)]
    [InlineData("", false)]
    public void Any_name_but_dockers_own_drivers_is_a_plugin(string driver, bool plugin) => Assert.Equal(plugin, LogSettings.IsPlugin(driver));
}
