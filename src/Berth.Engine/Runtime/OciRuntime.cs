namespace Berth.Engine.Runtime;

/// <summary>
/// An OCI runtime containers can be run with: runc (built in) or one of daemon.json's "runtimes" (--add-runtime).
/// <see cref="Args"/> go before the subcommand, as global options (<c>PATH ARGS… --root … create …</c>).
/// <see cref="IsRunc"/> is true for berthd's own runc only: the shim then takes its shortcuts that depend on runc's
/// state layout and namespaces (start through the exec fifo, exec by setns, removal of a stopped container's state),
/// which a foreign runtime such as gVisor does not allow.
/// </summary>
public sealed record OciRuntime(string Name, string Path, IReadOnlyList<string> Args, bool IsRunc = false);
