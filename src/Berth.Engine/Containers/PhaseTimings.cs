using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Berth.Engine.Containers;

/// <summary>Milliseconds spent in each named phase of an operation, for the debug log ("rootfs 1.2 ms, network 3.4 ms").</summary>
internal sealed class PhaseTimings
{
    private readonly StringBuilder _text = new();
    private long _last = Stopwatch.GetTimestamp();

    public void Mark(string phase)
    {
        long now = Stopwatch.GetTimestamp();
        if (_text.Length > 0) _text.Append(", ");
        _text.Append(phase).Append(' ')
            .Append(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms");
        _last = now;
    }

    public override string ToString() => _text.ToString();
}
