using System.Text;
using Berth.Engine.Logs;

namespace Berth.Tests.Engine;

public sealed class JsonFileLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}.log");

    public JsonFileLogReaderTests()
    {
        File.WriteAllText(_path,
            "{\"log\":\"one\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T01:00:00.000000001Z\"}\n" +
            "{\"log\":\"err \\\"quoted\\\"\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-28T01:00:01Z\"}\n" +
            "{\"log\":\"two\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T01:00:02Z\"}\n" +
            "{\"log\":\"partial\",\"stream\":\"stdout\",\"time\":\"2026-11-28T01:00:03Z\"}\n");
    }

    public void Dispose()
    {
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*")) File.Delete(file);
    }

    private static string Entry(string text, int second) =>
        $"{{\"log\":\"{text}\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T00:00:{second:00}Z\"}}\n";

    private async Task<List<string>> ReadAsync(LogQuery query)
    {
        var lines = new List<string>();
        await foreach (var entry in JsonFileLogReader.ReadAsync(_path, query, () => false, CancellationToken.None))
            lines.Add((entry.IsStderr ? "E:" : "O:") + Encoding.UTF8.GetString(entry.Text.Span));
        return lines;
    }

    [Fact]
    public async Task Reads_every_entry_in_order_with_escapes_undone()
    {
        var lines = await ReadAsync(new LogQuery(true, true, null, null, null, false));
        Assert.Equal(["O:one\n", "E:err \"quoted\"\n", "O:two\n", "O:partial"], lines);
    }

    [Fact]
    public async Task Tail_counts_lines_from_the_end_across_streams()
    {
        Assert.Equal(["O:two\n", "O:partial"], await ReadAsync(new LogQuery(true, true, null, null, 2, false)));
        Assert.Empty(await ReadAsync(new LogQuery(true, true, null, null, 0, false)));
    }

    [Fact]
    public async Task Filters_by_stream_and_time()
    {
        Assert.Equal(["E:err \"quoted\"\n"], await ReadAsync(new LogQuery(false, true, null, null, null, false)));
        var since = new DateTimeOffset(2026, 11, 28, 1, 0, 1, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 11, 28, 1, 0, 2, TimeSpan.Zero);
        Assert.Equal(["E:err \"quoted\"\n", "O:two\n"], await ReadAsync(new LogQuery(true, true, since, until, null, false)));
    }

    [Fact]
    public async Task Gzipped_rotated_files_are_read_in_their_place()
    {
        WriteGzip(_path + ".2.gz", Entry("a", 1) + Entry("b", 2));
        File.WriteAllText(_path + ".1", Entry("c", 3)); // not compressed yet
        File.WriteAllText(_path, Entry("d", 4));
        Assert.Equal(["O:a\n", "O:b\n", "O:c\n", "O:d\n"], await ReadAsync(new LogQuery(true, true, null, null, null, false)));
        Assert.Equal(["O:b\n", "O:c\n", "O:d\n"], await ReadAsync(new LogQuery(true, true, null, null, 3, false)));
    }

    private static void WriteGzip(string path, string text)
    {
        using var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task A_rotated_log_is_read_oldest_file_first_and_tail_reaches_into_older_files()
    {
        File.WriteAllText(_path + ".2", Entry("a", 1) + Entry("b", 2));
        File.WriteAllText(_path + ".1", Entry("c", 3));
        File.WriteAllText(_path, Entry("d", 4) + Entry("e", 5));
        Assert.Equal(["O:a\n", "O:b\n", "O:c\n", "O:d\n", "O:e\n"], await ReadAsync(new LogQuery(true, true, null, null, null, false)));
        Assert.Equal(["O:b\n", "O:c\n", "O:d\n", "O:e\n"], await ReadAsync(new LogQuery(true, true, null, null, 4, false)));
        Assert.Equal(["O:e\n"], await ReadAsync(new LogQuery(true, true, null, null, 1, false)));
        Assert.Equal(["O:a\n", "O:b\n", "O:c\n", "O:d\n", "O:e\n"], await ReadAsync(new LogQuery(true, true, null, null, 50, false)));
    }

    [Fact]
    public async Task A_follower_goes_on_with_the_new_file_when_the_log_is_rotated_under_it()
    {
        File.WriteAllText(_path, Entry("first", 1));
        bool running = true;
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var follow = Task.Run(async () =>
        {
            await foreach (var entry in JsonFileLogReader.ReadAsync(_path, new LogQuery(true, true, null, null, null, true), () => running, timeout.Token))
                lock (seen) seen.Add(Encoding.UTF8.GetString(entry.Text.Span));
        });
        await WaitForAsync(() => seen.Count == 1);
        File.AppendAllText(_path, Entry("second", 2)); // written just before the rotation
        File.Move(_path, _path + ".1");
        File.WriteAllText(_path, Entry("third", 3));
        await WaitForAsync(() => seen.Count == 3);
        running = false;
        await follow;
        Assert.Equal(["first\n", "second\n", "third\n"], seen);

        async Task WaitForAsync(Func<bool> condition)
        {
            while (true)
            {
                lock (seen) if (condition()) return;
                await Task.Delay(20, timeout.Token);
            }
        }
    }
}
