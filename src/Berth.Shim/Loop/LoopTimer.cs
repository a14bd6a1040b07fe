namespace Berth.Shim.Loop;

/// <summary>A one-shot timer on the <see cref="EventLoop"/>; cancelling is idempotent.</summary>
internal sealed class LoopTimer(long dueMillis, Action callback)
{
    public long DueMillis { get; } = dueMillis;
    public bool Cancelled { get; private set; }
    internal Action Callback { get; } = callback;

    public void Cancel() => Cancelled = true;
}
