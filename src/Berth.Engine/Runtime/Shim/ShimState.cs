namespace Berth.Engine.Runtime.Shim;

/// <summary>What a shim reports: <c>created</c> (not started), <c>running</c>, or <c>exited</c> with <see cref="Exit"/> set.</summary>
public sealed record ShimState(string Status, int Pid, ShimExit? Exit)
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Exited = "exited";
}
