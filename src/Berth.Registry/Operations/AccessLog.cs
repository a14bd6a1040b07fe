using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;

namespace Berth.Registry.Operations;

/// <summary>
/// One JSON line per request on stdout. Lines are queued and written by one background task, so a slow terminal or
/// pipe never holds up a request; when the queue is full lines are dropped (and counted) rather than waited for.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private readonly Channel<byte[]> _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(8192)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly RegistryMetrics _metrics;
    private readonly Task _writer;

    public AccessLog(Stream output, RegistryMetrics metrics)
    {
        _metrics = metrics;
        _writer = Task.Run(() => WriteLoopAsync(output));
    }

    public readonly record struct Entry(DateTimeOffset Time, string Remote, string Method, string Path, int Status, long? BytesOut, double Milliseconds, string? Account, string? UserAgent);

    public void Write(in Entry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", entry.Time);
            writer.WriteString("remote", entry.Remote);
            writer.WriteString("method", entry.Method);
            writer.WriteString("path", entry.Path);
            writer.WriteNumber("status", entry.Status);
            if (entry.BytesOut is { } bytes) writer.WriteNumber("bytes", bytes);
            writer.WriteNumber("ms", Math.Round(entry.Milliseconds, 3));
            if (entry.Account is not null) writer.WriteString("account", entry.Account);
            if (entry.UserAgent is not null) writer.WriteString("agent", entry.UserAgent);
            writer.WriteEndObject();
        }
        byte[] line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        if (!_lines.Writer.TryWrite(line)) _metrics.AccessLogDropped();
    }

    private async Task WriteLoopAsync(Stream output)
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var line)) await output.WriteAsync(line);
            await output.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }
}
