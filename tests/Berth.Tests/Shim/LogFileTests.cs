using System.Text;
using Berth.Shim.Io;
using Berth.Shim.Log;

namespace Berth.Tests.Shim;

public sealed class LogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-log").FullName;
    private string Log => Path.Combine(_dir, "c-json.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Write(LogFile file, OutputStream stream, ReadOnlySpan<byte> data) => Write(new JsonLogFormatter(file), stream, data);

    private static void Write(JsonLogFormatter formatter, OutputStream stream, ReadOnlySpan<byte> data)
    {
        formatter.Write(stream, data, 0);
        formatter.Flush();
    }

    [Fact]
    public void AppendsToAnExistingLog()
    {
        File.WriteAllText(Log, "{\"log\":\"old\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-01T00:00:00.000000000Z\"}\n");
        using (var file = new LogFile(Log, 0, 1))
            Write(file, OutputStream.Stdout, "new\n"u8);

        Assert.Equal(2, File.ReadAllLines(Log).Length);
    }

    [Fact]
    public void CompressesRotatedFilesAndKeepsMaxFiles()
    {
        using (var file = new LogFile(Log, maxSize: 200, maxFiles: 3, compress: true))
        {
            var encoder = new JsonLogFormatter(file);
            for (int i = 0; i < 20; i++) Write(encoder, OutputStream.Stdout, Encoding.ASCII.GetBytes($"line {i:D2}\n"));
        }

        Assert.Equal(["c-json.log", "c-json.log.1.gz", "c-json.log.2.gz"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Log + ".1.gz"), System.IO.Compression.CompressionMode.Decompress);
        string rotated = new StreamReader(gzip).ReadToEnd();
        Assert.StartsWith("{\"log\":", rotated);
        Assert.Contains("line 1", rotated);
    }

    [Fact]
    public void RotatesKeepingMaxFiles()
    {
        using (var file = new LogFile(Log, maxSize: 200, maxFiles: 3))
        {
            var encoder = new JsonLogFormatter(file);
            for (int i = 0; i < 20; i++) Write(encoder, OutputStream.Stdout, Encoding.ASCII.GetBytes($"line {i:D2}\n"));
        }

        Assert.True(File.Exists(Log));
        Assert.True(File.Exists(Log + ".1"));
        Assert.True(File.Exists(Log + ".2"));
        Assert.False(File.Exists(Log + ".3"));
        // Every file starts with a whole entry, and the newest entries are in the live file.
        foreach (var path in new[] { Log, Log + ".1", Log + ".2" })
            Assert.StartsWith("{\"log\":", File.ReadAllText(path));
        Assert.Contains("line 19", File.ReadAllLines(Log)[^1]);
    }

    [Fact]
    public void WithOneFileRotationTruncates()
    {
        using (var file = new LogFile(Log, maxSize: 100, maxFiles: 1))
        {
            var encoder = new JsonLogFormatter(file);
            for (int i = 0; i < 10; i++) Write(encoder, OutputStream.Stderr, Encoding.ASCII.GetBytes($"line {i}\n"));
        }

        Assert.False(File.Exists(Log + ".1"));
        Assert.Contains("line 9", File.ReadAllText(Log));
        Assert.DoesNotContain("line 0", File.ReadAllText(Log));
    }

    [Fact]
    public void A_batch_of_many_entries_rotates_between_entries_as_soon_as_the_limit_is_reached()
    {
        using (var file = new LogFile(Log, maxSize: 300, maxFiles: 3))
        {
            var encoder = new JsonLogFormatter(file);
            var chunk = new StringBuilder();
            for (int i = 0; i < 12; i++) chunk.Append($"line {i:D2}\n");
            Write(encoder, OutputStream.Stdout, Encoding.ASCII.GetBytes(chunk.ToString())); // one read, one batch
        }

        var files = new[] { Log + ".2", Log + ".1", Log };
        foreach (var path in files)
        {
            string text = File.ReadAllText(path);
            Assert.StartsWith("{\"log\":", text);
            Assert.EndsWith("}\n", text);
            Assert.True(text.Length < 300 + 100, $"{path} passed the limit by more than one entry");
        }
        Assert.Contains("line 11", File.ReadAllLines(Log)[^1]);
    }
}
