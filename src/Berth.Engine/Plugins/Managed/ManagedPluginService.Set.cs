using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Plugins.Managed;

public sealed partial class ManagedPluginService
{
    /// <summary>
    /// POST /plugins/{name}/set: each "name[.field]=value" changes an env value, a mount's source, a device's path or
    /// the args (split on white space), and only where the config declares that field settable. All or nothing.
    /// </summary>
    public async Task SetAsync(string refOrId, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var plugin = Store.Get(refOrId);
            if (plugin.Enabled) throw BerthException.Internal("cannot set on an active plugin, disable plugin before setting");
            var changed = Clone(plugin);
            foreach (string setting in settings) Apply(changed, PluginSetting.Parse(setting));
            Store.Save(changed);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static void Apply(Plugin plugin, PluginSetting setting)
    {
        var config = plugin.Config;
        if ((config.Env ?? []).FirstOrDefault(e => e.Name == setting.Name) is { } env)
        {
            setting.EnsureSettable("value", env.Settable);
            string entry = $"{setting.Name}={setting.Value}";
            int index = plugin.Settings.Env.FindIndex(e => e.StartsWith(setting.Name + "=", StringComparison.Ordinal));
            if (index >= 0) plugin.Settings.Env[index] = entry; else plugin.Settings.Env.Add(entry);
            return;
        }
        if ((config.Mounts ?? []).FirstOrDefault(m => m.Name == setting.Name) is { } mount)
        {
            setting.EnsureSettable("source", mount.Settable);
            foreach (var m in plugin.Settings.Mounts.Where(m => m.Name == setting.Name)) m.Source = setting.Value;
            return;
        }
        if ((config.Linux.Devices ?? []).FirstOrDefault(d => d.Name == setting.Name) is { } device)
        {
            setting.EnsureSettable("path", device.Settable);
            foreach (var d in plugin.Settings.Devices.Where(d => d.Name == setting.Name)) d.Path = setting.Value;
            return;
        }
        if (config.Args.Name == setting.Name && setting.Name.Length > 0)
        {
            setting.EnsureSettable("value", config.Args.Settable);
            plugin.Settings.Args = [.. setting.Value.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries)];
            return;
        }
        throw BerthException.Internal($"setting \"{setting.Name}\" not found in the plugin configuration");
    }
}

/// <summary>One "name[.field]=value" of a set (no "=" sets an empty value, as dockerd).</summary>
internal sealed record PluginSetting(string Name, string Field, string Value)
{
    public static PluginSetting Parse(string text)
    {
        int equals = text.IndexOf('=');
        string name = equals >= 0 ? text[..equals] : text;
        string value = equals >= 0 ? text[(equals + 1)..] : "";
        int dot = name.IndexOf('.');
        return dot >= 0 ? new PluginSetting(name[..dot], name[(dot + 1)..], value) : new PluginSetting(name, "", value);
    }

    private string PrettyName => Field.Length > 0 ? $"{Name}.{Field}" : Name;

    /// <summary>
    /// The field named, or the only settable one when none is named, must be the one this kind of setting allows
    /// (<paramref name="allowed"/>) and be among <paramref name="settable"/>.
    /// </summary>
    public void EnsureSettable(string allowed, IReadOnlyList<string>? settable)
    {
        string field = Field;
        if (field.Length == 0 && settable is { Count: > 1 }) throw BerthException.Internal("multiple settable fields found, please specify one");
        if (field.Length == 0 && settable is { Count: 1 }) field = settable[0];
        if (field != allowed || settable is null || !settable.Contains(field))
            throw BerthException.Internal($"\"{PrettyName}\" is not settable");
    }
}
