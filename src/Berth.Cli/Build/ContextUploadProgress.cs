using System.Diagnostics;
using Berth.Cli.Output;

namespace Berth.Cli.Build;

/// <summary>
/// docker's "Sending build context to Docker daemon  2.048kB" line. Off a terminal it is written once, when the whole
/// context has gone out; on a terminal it is also rewritten in place while sending (at most every 100 ms and 512 KiB,
/// as docker's progress reader). Its bytes are docker's: the size right-aligned in 8 columns, then "\r", then the
/// "\r\n" docker's progress output adds after a last update.
/// </summary>
public sealed class ContextUploadProgress(TextWriter output, bool terminal)
{
    private const string Action = "Sending build context to Docker daemon";
    private const long UpdateEveryBytes = 512 * 1024;
    private static readonly TimeSpan UpdateEveryTime = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch _sinceUpdate = Stopwatch.StartNew();
    private long _lastUpdate;

    /// <summary>A context writer that counts what <paramref name="write"/> sends and prints the line as it goes.</summary>
    public Func<Stream, CancellationToken, Task> Around(Func<Stream, CancellationToken, Task> write) => async (stream, cancellationToken) =>
    {
        var counting = new CountingStream(stream, OnProgress);
        await write(counting, cancellationToken);
        await counting.FlushAsync(cancellationToken);
        output.Write(Line(counting.Count) + "\r\n");
        output.Flush();
    };

    /// <summary>One progress line: the size (nothing at zero bytes, then docker ends the line itself) and "\r".</summary>
    public static string Line(long bytes)
        => bytes > 0 ? $"{Action} {HumanUnits.HumanSize(bytes, 4),8}\r" : $"{Action} \r\n";

    private void OnProgress(long bytes)
    {
        if (!terminal || bytes - _lastUpdate <= UpdateEveryBytes || _sinceUpdate.Elapsed < UpdateEveryTime)
            return;
        _lastUpdate = bytes;
        _sinceUpdate.Restart();
        output.Write(Line(bytes));
        output.Flush();
    }
}
