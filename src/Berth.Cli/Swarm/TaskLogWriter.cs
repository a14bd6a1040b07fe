using System.Text;

namespace Berth.Cli.Swarm;

/// <summary>
/// A write-only stream that takes one log line per flush (the demultiplexer flushes after each frame, and the daemon
/// sends a line per frame), reads its "[timestamp ]details message" shape, and writes "[timestamp ]PREFIX    | message".
/// </summary>
public sealed class TaskLogWriter(Stream inner, TaskLogPrefixes prefixes, bool timestamps, bool details, CancellationToken cancellation) : Stream
{
    private readonly MemoryStream _line = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _line.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _line.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _line.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => FlushAsync(cancellation).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_line.Length == 0)
            return;
        var text = Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
        _line.SetLength(0);
        var bytes = Encoding.UTF8.GetBytes(await FormatAsync(text));
        await inner.WriteAsync(bytes, cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    private async Task<string> FormatAsync(string line)
    {
        var parts = line.Split(' ', timestamps ? 3 : 2);
        if (parts.Length != (timestamps ? 3 : 2))
            throw new CliException($"invalid context in log message: {line}");
        var attributes = ParseDetails(parts[timestamps ? 1 : 0]);
        string Take(string key)
        {
            if (!attributes.Remove(key, out var value))
                throw new CliException($"missing {key.Split('.')[^2]} id in details: map[{string.Join(' ', attributes.Select(a => $"{a.Key}:{a.Value}"))}]");
            return value;
        }
        var node = Take("com.docker.swarm.node.id");
        var service = Take("com.docker.swarm.service.id");
        var task = Take("com.docker.swarm.task.id");
        var output = new StringBuilder();
        if (timestamps)
            output.Append(parts[0]).Append(' ');
        output.Append(await prefixes.FormatAsync(node, service, task, cancellation)).Append("    | ");
        if (details && attributes.Count > 0)
            output.Append(string.Join(',', attributes.Select(a => a.Key + "=" + a.Value).Order(StringComparer.Ordinal))).Append(' ');
        output.Append(parts[^1]);
        return output.ToString();
    }

    /// <summary>The details field: comma-separated key=value pairs, each side URL-query-escaped.</summary>
    public static Dictionary<string, string> ParseDetails(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length == 0)
            return result;
        foreach (var pair in text.Split(','))
        {
            var eq = pair.IndexOf('=');
            if (eq < 0)
                throw new CliException($"invalid details format: {text}");
            result[Unescape(pair[..eq])] = Unescape(pair[(eq + 1)..]);
        }
        return result;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
