using System.Buffers.Binary;
using System.Text;
using Berth.Engine.Logs;

namespace Berth.Tests.Engine;

/// <summary>The logs response body as <see cref="JsonFileLogReader.WriteFramesAsync"/> renders it.</summary>
public sealed class LogFramesTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"berth-frames-{Guid.NewGuid():N}.log");

    public void Dispose()
    {
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*")) File.Delete(file);
    }

    private static string Entry(string escapedText, string stream, string time) =>
        $"{{\"log\":\"{escapedText}\",\"stream\":\"{stream}\",\"time\":\"{time}\"}}\n";

    private async Task<byte[]> RenderAsync(LogQuery query, LogOutputFormat format)
    {
        using var body = new MemoryStream();
        await JsonFileLogReader.WriteFramesAsync(_path, query, format, body, () => false, CancellationToken.None);
        return body.ToArray();
    }

    private static List<(int Stream, string Text)> Demultiplex(byte[] body)
    {
        var frames = new List<(int, string)>();
        for (int i = 0; i < body.Length;)
        {
            Assert.True(body.Length - i >= 8, "truncated frame header");
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(i + 4));
            Assert.Equal([0, 0, 0], body[(i + 1)..(i + 4)]);
            frames.Add((body[i], Encoding.UTF8.GetString(body, i + 8, length)));
            i += 8 + length;
        }
        return frames;
    }

    private static LogQuery All => new(true, true, null, null, null, false);

    [Fact]
    public async Task Every_entry_is_a_frame_of_its_own_and_the_text_is_exactly_the_logged_output()
    {
        File.WriteAllText(_path,
            Entry("one\\n", "stdout", "2026-11-28T01:00:00.1Z") + Entry("two \\\"2\\\"\\n", "stdout", "2026-11-28T01:00:01Z") +
            Entry("oops\\n", "stderr", "2026-11-28T01:00:02Z") + Entry("three", "stdout", "2026-11-28T01:00:03Z"));
        var frames = Demultiplex(await RenderAsync(All, new LogOutputFormat(false, false)));
        Assert.Equal([(1, "one\n"), (1, "two \"2\"\n"), (2, "oops\n"), (1, "three")], frames);
    }

    [Fact]
    public async Task Timestamps_prefix_every_entry_with_nine_fraction_digits()
    {
        File.WriteAllText(_path, Entry("one\\n", "stdout", "2026-11-28T01:00:00.1Z") + Entry("two\\n", "stdout", "2026-11-28T01:00:01Z"));
        var frames = Demultiplex(await RenderAsync(All, new LogOutputFormat(true, false)));
        Assert.Equal([(1, "2026-11-28T01:00:00.100000000Z one\n"), (1, "2026-11-28T01:00:01.000000000Z two\n")], frames);
    }

    [Fact]
    public async Task A_tty_containers_log_is_written_raw()
    {
        File.WriteAllText(_path, Entry("one\\r\\n", "stdout", "2026-11-28T01:00:00Z") + Entry("two\\r\\n", "stdout", "2026-11-28T01:00:01Z"));
        Assert.Equal("one\r\ntwo\r\n", Encoding.UTF8.GetString(await RenderAsync(All, new LogOutputFormat(false, true))));
    }

    [Fact]
    public async Task A_large_log_arrives_whole_and_in_order_with_filters_applied()
    {
        var expectedOut = new StringBuilder();
        var expectedErr = new StringBuilder();
        using (var writer = new StreamWriter(_path))
        {
            for (int i = 0; i < 50_000; i++)
            {
                bool err = i % 7 == 0;
                string text = $"line {i} {new string('x', i % 300)}";
                writer.Write(Entry(text + "\\n", err ? "stderr" : "stdout", $"2026-11-28T01:00:00.{i:D9}Z"));
                if (i >= 1000) (err ? expectedErr : expectedOut).Append(text).Append('\n');
            }
        }
        var since = DateTimeOffset.Parse("2026-11-28T01:00:00Z").AddTicks(10); // entry 1000 is at 1000 ns
        var frames = Demultiplex(await RenderAsync(All with { Since = since }, new LogOutputFormat(false, false)));
        Assert.Equal(expectedOut.ToString(), string.Concat(frames.Where(f => f.Stream == 1).Select(f => f.Text)));
        Assert.Equal(expectedErr.ToString(), string.Concat(frames.Where(f => f.Stream == 2).Select(f => f.Text)));
        Assert.DoesNotContain(frames, f => f.Text.Length == 0);
    }

    [Fact]
    public async Task Until_and_tail_stop_where_the_entry_reader_stops()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Range(0, 10).Select(i => Entry($"l{i}\\n", "stdout", $"2026-11-28T01:00:0{i}Z"))));
        var until = DateTimeOffset.Parse("2026-11-28T01:00:05Z");
        Assert.Equal([(1, "l3\n"), (1, "l4\n"), (1, "l5\n")], Demultiplex(await RenderAsync(All with { Since = until.AddSeconds(-2), Until = until }, new LogOutputFormat(false, false))));
        Assert.Equal([(1, "l8\n"), (1, "l9\n")], Demultiplex(await RenderAsync(All with { Tail = 2 }, new LogOutputFormat(false, false))));
        Assert.Empty(await RenderAsync(All with { Tail = 0 }, new LogOutputFormat(false, false)));
    }

    [Fact]
    public async Task A_line_longer_than_a_read_block_is_still_one_entry()
    {
        string big = new('y', 600_000);
        File.WriteAllText(_path, Entry("a\\n", "stdout", "2026-11-28T01:00:00Z") + Entry(big, "stdout", "2026-11-28T01:00:01Z") + Entry("b\\n", "stdout", "2026-11-28T01:00:02Z"));
        Assert.Equal([(1, "a\n"), (1, big), (1, "b\n")], Demultiplex(await RenderAsync(All, new LogOutputFormat(false, false))));
    }

    [Fact]
    public async Task Malformed_lines_are_skipped()
    {
        File.WriteAllText(_path, "garbage\n" + Entry("a\\n", "stdout", "2026-11-28T01:00:00Z") + "{\"log\":\"torn\n" + Entry("b\\n", "stdout", "2026-11-28T01:00:02Z"));
        Assert.Equal([(1, "a\n"), (1, "b\n")], Demultiplex(await RenderAsync(All, new LogOutputFormat(false, false))));
    }
}
