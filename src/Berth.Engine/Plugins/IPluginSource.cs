namespace Berth.Engine.Plugins;

/// <summary>One place plugins come from (the managed plugin store, Docker's legacy plugin directories).</summary>
public interface IPluginSource
{
    /// <summary>The plugin called <paramref name="name"/> if it implements <paramref name="capability"/> ("VolumeDriver"); null when this source has none.</summary>
    ValueTask<PluginEndpoint?> FindAsync(string name, string capability, CancellationToken ct);

    /// <summary>Every plugin of this source that implements <paramref name="capability"/> (volume ls asks each volume driver).</summary>
    ValueTask<IReadOnlyList<PluginEndpoint>> ListAsync(string capability, CancellationToken ct);
}
