namespace Berth.Shim.Protocol;

/// <summary>The requests a shim serves, one per connection. EXEC runs a further process in the container (runc exec).</summary>
internal enum ShimCommand
{
    Start,
    Attach,
    Wait,
    Kill,
    Resize,
    State,
    Shutdown,
    Exec,
}
