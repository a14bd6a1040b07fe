using System.Diagnostics;
using Berth.Api;

namespace Berth.Build.Remote;

/// <summary>
/// Byte progress of a download thinned out as Docker's progress reader does (a line every 512 KiB or 1%, at most every
/// 100 ms), with <see cref="Finish"/> always reporting the last count.
/// </summary>
public sealed class ThrottledProgress(IProgress<JsonMessage> sink, Func<long, JsonMessage> message, long total)
{
    private static readonly long MinInterval = Stopwatch.Frequency / 10;
    private long _reported = -1, _at;

    public void Update(long current)
    {
        long every = total > 0 ? Math.Min(512 << 10, Math.Max(1, total / 100)) : 512 << 10;
        long now = Stopwatch.GetTimestamp();
        if (_reported >= 0 && (current - _reported < every || now - _at < MinInterval)) return;
        _reported = current;
        _at = now;
        sink.Report(message(current));
    }

    public void Finish(long current)
    {
        if (current == _reported) return;
        _reported = current;
        sink.Report(message(current));
    }
}
