namespace Berth.Shim.Protocol;

/// <summary>The requests a shim serves, one per connection. EXEC is reserved for exec through the shim.</summary>
internal enum ShimCommand
{
    Start,
    Attach,
    Wait,
    Kill,
    Resize,
    State,
    Shutdown,
}
