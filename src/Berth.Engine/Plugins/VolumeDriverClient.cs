namespace Berth.Engine.Plugins;

/// <summary>
/// The VolumeDriver methods of one plugin. Timeouts are dockerd's: two minutes for the calls that may do real work
/// (create, remove, mount, unmount), one minute for the questions.
/// </summary>
public sealed class VolumeDriverClient(PluginEndpoint plugin, PluginClient client)
{
    public const string Capability = "VolumeDriver";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(1);
    private static PluginJsonContext Json => PluginJsonContext.Default;

    public PluginEndpoint Plugin => plugin;

    public Task CreateAsync(string name, Dictionary<string, string>? options, CancellationToken ct) =>
        client.CallAsync(plugin.Address, "VolumeDriver.Create", new VolumeCreateRequest { Name = name, Opts = options ?? [] },
            Json.VolumeCreateRequest, Json.VolumeErrAnswer, Long, ct);

    public Task RemoveAsync(string name, CancellationToken ct) =>
        client.CallAsync(plugin.Address, "VolumeDriver.Remove", new VolumeNameRequest { Name = name }, Json.VolumeNameRequest, Json.VolumeErrAnswer, Long, ct);

    /// <summary>Mounts the volume for the use <paramref name="id"/>; returns where it is on the host.</summary>
    public async Task<string> MountAsync(string name, string id, CancellationToken ct)
    {
        var answer = await client.CallAsync(plugin.Address, "VolumeDriver.Mount", new VolumeMountRequest { Name = name, ID = id },
            Json.VolumeMountRequest, Json.VolumeMountpointAnswer, Long, ct);
        return HostPath(answer.Mountpoint);
    }

    public Task UnmountAsync(string name, string id, CancellationToken ct) =>
        client.CallAsync(plugin.Address, "VolumeDriver.Unmount", new VolumeMountRequest { Name = name, ID = id },
            Json.VolumeMountRequest, Json.VolumeErrAnswer, Long, ct);

    /// <summary>The volume as the plugin describes it, its Mountpoint mapped to the host.</summary>
    public async Task<PluginVolume> GetAsync(string name, CancellationToken ct)
    {
        var answer = await client.CallAsync(plugin.Address, "VolumeDriver.Get", new VolumeNameRequest { Name = name },
            Json.VolumeNameRequest, Json.VolumeGetAnswer, Short, ct);
        var volume = answer.Volume ?? new PluginVolume { Name = name };
        volume.Mountpoint = HostPath(volume.Mountpoint);
        return volume;
    }

    public async Task<IReadOnlyList<PluginVolume>> ListAsync(CancellationToken ct)
    {
        var answer = await client.CallAsync(plugin.Address, "VolumeDriver.List", new EmptyPluginRequest(),
            Json.EmptyPluginRequest, Json.VolumeListAnswer, Short, ct);
        var volumes = answer.Volumes ?? [];
        foreach (var volume in volumes) volume.Mountpoint = HostPath(volume.Mountpoint);
        return volumes;
    }

    /// <summary>"local" or "global"; "local" for a plugin that predates the method (as dockerd assumes).</summary>
    public async Task<string> ScopeAsync(CancellationToken ct)
    {
        try
        {
            var answer = await client.CallAsync(plugin.Address, "VolumeDriver.Capabilities", new EmptyPluginRequest(),
                Json.EmptyPluginRequest, Json.VolumeCapabilitiesAnswer, Short, ct);
            return answer.Capabilities?.Scope is "global" ? "global" : "local";
        }
        catch (PluginCallException)
        {
            return "local";
        }
    }

    private string HostPath(string? path) => string.IsNullOrEmpty(path) ? "" : plugin.HostPath(path);
}
