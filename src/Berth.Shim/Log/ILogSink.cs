namespace Berth.Shim.Log;

/// <summary>Receives whole JSON log lines, a batch at a time (never a torn entry).</summary>
internal interface ILogSink
{
    void Write(ReadOnlySpan<byte> entries);
}
