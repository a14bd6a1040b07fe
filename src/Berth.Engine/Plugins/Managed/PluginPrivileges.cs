using Berth.Api;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// What a plugin's config asks of the host, in the order and words dockerd lists them (the CLI shows them before an
/// install, and the install must send the same list back).
/// </summary>
public static class PluginPrivileges
{
    public static List<PluginPrivilege> Of(PluginConfig config)
    {
        var privileges = new List<PluginPrivilege>();
        // A namespace of its own ("", "bridge", "null") is no privilege; anything else ("host", "none") is listed.
        if (config.Network.Type is not ("" or "bridge" or "null"))
            privileges.Add(New("network", "permissions to access a network", config.Network.Type));
        if (config.IpcHost) privileges.Add(New("host ipc namespace", "allow access to host ipc namespace", "true"));
        if (config.PidHost) privileges.Add(New("host pid namespace", "allow access to host pid namespace", "true"));
        foreach (var mount in config.Mounts ?? [])
            if (mount.Source is not null) privileges.Add(New("mount", "host path to mount", mount.Source));
        foreach (var device in config.Linux.Devices ?? [])
            if (device.Path is not null) privileges.Add(New("device", "host device to access", device.Path));
        if (config.Linux.AllowAllDevices) privileges.Add(New("allow-all-devices", "allow 'rwm' access to all devices", "true"));
        if (config.Linux.Capabilities is { Count: > 0 } capabilities)
            privileges.Add(new PluginPrivilege { Name = "capabilities", Description = "list of additional capabilities required", Value = [.. capabilities] });
        return privileges;
    }

    /// <summary>
    /// Whether the client granted exactly what the plugin asks: the same privileges, in any order, each with the same
    /// values in any order (dockerd's check; anything else is "incorrect privileges").
    /// </summary>
    public static bool Granted(IReadOnlyList<PluginPrivilege> required, IReadOnlyList<PluginPrivilege> granted)
    {
        if (required.Count != granted.Count) return false;
        var left = granted.ToList();
        foreach (var want in required)
        {
            int match = left.FindIndex(g => g.Name == want.Name && g.Description == want.Description && SameValues(g.Value, want.Value));
            if (match < 0) return false;
            left.RemoveAt(match);
        }
        return true;
    }

    private static bool SameValues(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == b.Count && a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static PluginPrivilege New(string name, string description, string value) =>
        new() { Name = name, Description = description, Value = [value] };
}
