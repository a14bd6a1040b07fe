using System.Text;
using System.Text.Json;
using Berth.Shim.Io;
using Berth.Shim.Log;

namespace Berth.Tests.Shim;

public class JsonLogFormatterTests
{
    private const long Time = 1_795_831_724_381_986_859; // 2026-11-28T02:08:44.381986859Z

    private sealed class MemorySink : ILogSink
    {
        public MemoryStream Bytes { get; } = new();
        public int Batches { get; private set; }

        public void Write(ReadOnlySpan<byte> entries)
        {
            Bytes.Write(entries);
            Batches++;
        }

        public List<(string Log, string Stream, string Time)> Entries()
        {
            var text = Encoding.UTF8.GetString(Bytes.ToArray());
            Assert.EndsWith("\n", text);
            return text.TrimEnd('\n').Split('\n').Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                Assert.Equal(["log", "stream", "time"], root.EnumerateObject().Select(p => p.Name));
                return (root.GetProperty("log").GetString()!, root.GetProperty("stream").GetString()!, root.GetProperty("time").GetString()!);
            }).ToList();
        }
    }

    /// <summary>Writes out after every call, as the log does when it is written on the loop thread.</summary>
    private sealed class FlushingFormatter(ILogSink sink)
    {
        private readonly JsonLogFormatter _formatter = new(sink);

        public void Write(OutputStream stream, ReadOnlySpan<byte> data, long unixNanos)
        {
            _formatter.Write(stream, data, unixNanos);
            _formatter.Flush();
        }

        public void Complete(OutputStream stream, long unixNanos)
        {
            _formatter.Complete(stream, unixNanos);
            _formatter.Flush();
        }
    }

    [Fact]
    public void WritesOneEntryPerLineInDockersFormat()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);

        encoder.Write(OutputStream.Stdout, "hello\nworld\n"u8, Time);

        Assert.Equal(
            "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44.381986859Z\"}\n" +
            "{\"log\":\"world\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44.381986859Z\"}\n",
            Encoding.UTF8.GetString(sink.Bytes.ToArray()));
        Assert.Equal(1, sink.Batches);
    }

    [Fact]
    public void JoinsALineSplitAcrossReadsAndKeepsStreamsApart()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);

        encoder.Write(OutputStream.Stdout, "hel"u8, Time);
        encoder.Write(OutputStream.Stderr, "oops\n"u8, Time);
        encoder.Write(OutputStream.Stdout, "lo\nnext"u8, Time);

        Assert.Equal([("oops\n", "stderr"), ("hello\n", "stdout")], sink.Entries().Select(e => (e.Log, e.Stream)));
    }

    [Fact]
    public void CompleteWritesTheUnfinishedLineWithoutANewline()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);

        encoder.Write(OutputStream.Stdout, "a\nno newline"u8, Time);
        encoder.Complete(OutputStream.Stdout, Time);
        encoder.Complete(OutputStream.Stderr, Time);

        Assert.Equal(["a\n", "no newline"], sink.Entries().Select(e => e.Log));
    }

    [Fact]
    public void SplitsLongLinesInto16KiBPartialEntries()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);
        var line = new string('x', 40_000) + "\n";

        // In odd-sized pieces, as reads from a pipe arrive.
        var bytes = Encoding.ASCII.GetBytes(line);
        for (int i = 0; i < bytes.Length; i += 7_001)
            encoder.Write(OutputStream.Stdout, bytes.AsSpan(i, Math.Min(7_001, bytes.Length - i)), Time);

        var logs = sink.Entries().Select(e => e.Log).ToList();
        Assert.Equal([16_384, 16_384, 40_001 - 32_768], logs.Select(l => l.Length));
        Assert.False(logs[0].EndsWith('\n'));
        Assert.EndsWith("\n", logs[2]);
        Assert.Equal(line, string.Concat(logs));
    }

    [Fact]
    public void PartialEntriesNeverSplitAUtf8Character()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);
        // 16383 ASCII bytes then "€" (3 bytes): the cut at 16384 would fall inside the euro sign.
        var text = new string('a', 16_383) + "€" + "tail\n";

        encoder.Write(OutputStream.Stdout, Encoding.UTF8.GetBytes(text), Time);

        var logs = sink.Entries().Select(e => e.Log).ToList();
        Assert.Equal(new string('a', 16_383), logs[0]);
        Assert.Equal("€tail\n", logs[1]);
    }

    [Fact]
    public void EscapesControlCharactersQuotesAndInvalidUtf8()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);
        byte[] raw = [.. "q\"b\\t\tz"u8, 0x00, 0x1B, .. "é"u8, 0xFF, 0xC3, (byte)'\r', (byte)'\n'];

        encoder.Write(OutputStream.Stdout, raw, Time);

        var json = Encoding.UTF8.GetString(sink.Bytes.ToArray());
        Assert.Contains("q\\\"b\\\\t\\tz\\u0000\\u001bé\uFFFD\uFFFD\\r\\n", json);
        Assert.Equal("q\"b\\t\tz\0\u001bé\uFFFD\uFFFD\r\n", sink.Entries().Single().Log);
    }

    [Fact]
    public void BinaryOutputStillGivesValidJson()
    {
        var sink = new MemorySink();
        var encoder = new FlushingFormatter(sink);
        var random = new Random(42);
        var data = new byte[200_000];
        random.NextBytes(data);

        for (int i = 0; i < data.Length; i += 65_536)
            encoder.Write(OutputStream.Stderr, data.AsSpan(i, Math.Min(65_536, data.Length - i)), Time);
        encoder.Complete(OutputStream.Stderr, Time);

        var entries = sink.Entries();
        Assert.All(entries, e => Assert.Equal("stderr", e.Stream));
        Assert.Equal(data.Count(b => b == '\n'), entries.Count(e => e.Log.EndsWith('\n')));
    }

    [Fact]
    public void CharacterBoundaryBacksOffOnlyInsideASequence()
    {
        Assert.Equal(3, JsonLogFormatter.CharacterBoundary("abc"u8));
        Assert.Equal(1, JsonLogFormatter.CharacterBoundary([(byte)'a', 0xE2, 0x82]));       // "€" missing its last byte
        Assert.Equal(4, JsonLogFormatter.CharacterBoundary([(byte)'a', 0xE2, 0x82, 0xAC]));  // "€" complete
        Assert.Equal(1, JsonLogFormatter.CharacterBoundary([(byte)'a', 0xF0]));
        Assert.Equal(2, JsonLogFormatter.CharacterBoundary([0xE2, 0x82]));                  // nothing would remain: keep all
    }

    [Theory]
    [InlineData(1_795_831_724_381_986_850, "2026-11-28T02:08:44.38198685Z")]
    [InlineData(1_795_831_724_100_000_000, "2026-11-28T02:08:44.1Z")]
    [InlineData(1_795_831_724_000_000_000, "2026-11-28T02:08:44Z")]
    public void TimesDropTrailingZerosAsGoWritesThem(long unixNanos, string expected)
    {
        var sink = new MemorySink();
        new FlushingFormatter(sink).Write(OutputStream.Stdout, "x\n"u8, unixNanos);
        Assert.Equal(expected, sink.Entries().Single().Time);
    }

    [Fact]
    public void EntriesCollectUntilFlushedAndGoOutInOneBatch()
    {
        var sink = new MemorySink();
        var formatter = new JsonLogFormatter(sink);
        for (int i = 0; i < 100; i++) formatter.Write(OutputStream.Stdout, Encoding.ASCII.GetBytes($"line {i}\n"), Time);
        Assert.Equal(0, sink.Batches);
        formatter.Flush();
        Assert.Equal(1, sink.Batches);
        Assert.Equal(100, sink.Entries().Count);
    }
}
