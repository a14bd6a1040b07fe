using System.Buffers.Binary;

namespace Berth.Engine.Logs;

/// <summary>
/// Writes what a logging plugin's ReadLogs streams back as the logs endpoint's output, as dockerd does: each entry's
/// line as the plugin gives it (a plugin keeping json-file lines gives them with their newline), after its time with
/// <c>timestamps</c>, one multiplexed frame per entry (raw for TTY containers). The plugin applies tail, until and
/// follow; since is checked here too, as dockerd checks it.
/// </summary>
public static class PluginLogWriter
{
    private const int HeaderSize = 8;

    public static async Task WriteFramesAsync(Stream entries, LogQuery query, LogOutputFormat format, Stream output, CancellationToken cancellationToken)
    {
        long sinceNanos = query.Since is { } since ? (since - DateTimeOffset.UnixEpoch).Ticks * 100 : long.MinValue;
        var buffer = new byte[4096];
        await foreach (var entry in LogEntryFrames.ReadAsync(entries, cancellationToken))
        {
            bool stderr = entry.Source == "stderr";
            if (stderr ? !query.Stderr : !query.Stdout || entry.Source != "stdout") continue;
            if (entry.TimeNano < sinceNanos) continue;
            int worstCase = HeaderSize + LogTime.FixedLength + 1 + format.DetailsPrefix.Length + entry.Line.Length;
            if (buffer.Length < worstCase) buffer = new byte[worstCase];
            int start = format.Tty ? 0 : HeaderSize, n = start;
            if (format.Timestamps)
            {
                n += LogTime.FormatFixed(entry.TimeNano, buffer.AsSpan(n));
                buffer[n++] = (byte)' ';
            }
            format.DetailsPrefix.CopyTo(buffer, n);
            n += format.DetailsPrefix.Length;
            entry.Line.CopyTo(buffer, n);
            n += entry.Line.Length;
            if (!format.Tty)
            {
                buffer.AsSpan(0, HeaderSize).Clear();
                buffer[0] = stderr ? (byte)2 : (byte)1;
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), (uint)(n - start));
            }
            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }
}
