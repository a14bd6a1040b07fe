using Berth.Client.Hosts;

namespace Berth.Client;

/// <summary>The daemon's socket could not be reached at all (not running, wrong address, refused).</summary>
public sealed class DaemonUnreachableException(DaemonHost host, Exception inner)
    : Exception($"Cannot connect to the Docker daemon at {host}. Is the docker daemon running?", inner)
{
    public DaemonHost Host { get; } = host;
}
