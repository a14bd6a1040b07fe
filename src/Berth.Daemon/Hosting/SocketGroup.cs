using System.Globalization;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The group berthd's unix sockets belong to ("group", -G), so that its members may use the daemon without root, as
/// with dockerd's "docker" group. The default group is optional; a group named explicitly must exist.
/// </summary>
public static class SocketGroup
{
    /// <summary>The group's id, or null to leave the sockets in root's group.</summary>
    public static uint? Resolve(DaemonOptions options, ILogger logger)
    {
        string name = options.SocketGroup;
        if (name.Length == 0) return null;
        if (Lookup(name) is { } gid) return gid;
        if (options.SocketGroupGiven && name != "docker") throw BerthException.Invalid($"can't create unix socket: group {name} not found");
        logger.LogDebug("the unix sockets stay in root's group: there is no group {Group}", name);
        return null;
    }

    /// <summary>A group by name in the host's /etc/group, or by number.</summary>
    private static uint? Lookup(string name)
    {
        if (uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out uint number)) return number;
        return EtcFiles.ReadGroup("/").FirstOrDefault(g => g.Name == name) is { Gid: >= 0 and <= uint.MaxValue } group ? (uint)group.Gid : null;
    }
}
