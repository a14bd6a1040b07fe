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

    public void Dispose() => File.Delete(_path);

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
}
