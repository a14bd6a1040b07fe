using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// <c>--init</c>: Docker's layout, a static init (tini) bind-mounted read-only at /sbin/docker-init and run as PID 1
/// with <c>--</c> and the container's command, so that zombies are reaped and signals reach the command.
/// </summary>
public sealed partial class ContainerService
{
    public const string InitPathInContainer = "/sbin/docker-init";

    /// <summary>The host's init binary when the container runs under one (HostConfig.Init, else the daemon's default).</summary>
    internal string? InitBinaryOf(ContainerRecord container)
    {
        if (!(container.HostConfig.Init ?? _options.Init)) return null;
        if (!File.Exists(_options.InitPath))
            throw BerthException.Invalid($"container {container.Name.TrimStart('/')}: --init needs {_options.InitPath} (Debian's tini package, or \"init-path\" in daemon.json)");
        return _options.InitPath;
    }
}
