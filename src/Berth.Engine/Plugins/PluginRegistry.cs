namespace Berth.Engine.Plugins;

/// <summary>
/// Finds plugins by name across the sources, in order: managed plugins first (as dockerd prefers an installed plugin
/// over a legacy one of the same name), then Docker's legacy plugin directories.
/// </summary>
public sealed class PluginRegistry(PluginClient client, params IReadOnlyList<IPluginSource> sources)
{
    public IReadOnlyList<IPluginSource> Sources => sources;

    /// <summary>The transport shared by every plugin call (one connection pool per plugin address).</summary>
    public PluginClient Client => client;

    /// <summary>The plugin <paramref name="name"/> implementing <paramref name="capability"/>, or null; a plugin that fails to activate throws <see cref="PluginCallException"/>.</summary>
    public async ValueTask<PluginEndpoint?> FindAsync(string name, string capability, CancellationToken ct)
    {
        foreach (var source in sources)
            if (await source.FindAsync(name, capability, ct) is { } plugin) return plugin;
        return null;
    }

    /// <summary>Every plugin implementing <paramref name="capability"/>, each name once (the first source's wins).</summary>
    public async ValueTask<IReadOnlyList<PluginEndpoint>> ListAsync(string capability, CancellationToken ct)
    {
        var plugins = new List<PluginEndpoint>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
            foreach (var plugin in await source.ListAsync(capability, ct))
                if (seen.Add(plugin.Name)) plugins.Add(plugin);
        return plugins;
    }
}
