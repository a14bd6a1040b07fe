using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// A service's volumes, tmpfs, secrets and configs as HostConfig.Binds, Mounts and Tmpfs. Short-syntax binds go as
/// Binds, so that the daemon (maybe remote) creates a missing host directory as docker does; everything else goes as
/// Mounts, which say exactly what is meant.
/// </summary>
public sealed class MountMapping
{
    public JsonArray Binds { get; } = [];
    public JsonArray Mounts { get; } = [];
    public JsonObject Tmpfs { get; } = [];

    /// <param name="inheritedVolumes">Anonymous volumes of the container being replaced, by target, to keep their data.</param>
    public static MountMapping For(ComposeProject project, ServiceConfig service, IReadOnlyDictionary<string, string> inheritedVolumes)
    {
        var mapping = new MountMapping();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in service.Volumes)
        {
            targets.Add(volume.Target);
            mapping.Add(project, volume, inheritedVolumes);
        }
        // Volumes the image declares are not in the file: give them their old volume too.
        foreach (var (target, name) in inheritedVolumes)
        {
            if (targets.Add(target))
                mapping.Mounts.Add((JsonNode)new JsonObject { ["Type"] = "volume", ["Source"] = name, ["Target"] = target });
        }
        foreach (var entry in service.Tmpfs)
        {
            int colon = entry.IndexOf(':');
            mapping.Tmpfs[colon < 0 ? entry : entry[..colon]] = colon < 0 ? "" : entry[(colon + 1)..];
        }
        foreach (var reference in service.Secrets)
            mapping.AddFileObject(project.Secrets, reference);
        foreach (var reference in service.Configs)
            mapping.AddFileObject(project.Configs, reference);
        return mapping;
    }

    private void Add(ComposeProject project, ServiceVolume volume, IReadOnlyDictionary<string, string> inheritedVolumes)
    {
        switch (volume.Type)
        {
            case "bind" when volume.CreateHostPath:
                var options = new List<string>();
                if (volume.ReadOnly)
                    options.Add("ro");
                if (volume.Selinux is { Length: > 0 } selinux)
                    options.Add(selinux);
                if (volume.BindPropagation is { Length: > 0 } propagation)
                    options.Add(propagation);
                Binds.Add((JsonNode)($"{volume.Source}:{volume.Target}" + (options.Count > 0 ? ":" + string.Join(',', options) : "")));
                break;
            case "bind":
                var bind = new JsonObject { ["Type"] = "bind", ["Source"] = volume.Source, ["Target"] = volume.Target };
                if (volume.ReadOnly)
                    bind["ReadOnly"] = true;
                if (volume.BindPropagation is { Length: > 0 } bindPropagation)
                    bind["BindOptions"] = new JsonObject { ["Propagation"] = bindPropagation };
                Mounts.Add((JsonNode)bind);
                break;
            case "volume":
                string? source = volume.Source is null
                    ? inheritedVolumes.GetValueOrDefault(volume.Target)
                    : project.Volumes.TryGetValue(volume.Source, out var declared) ? declared.Name : volume.Source;
                var mount = new JsonObject { ["Type"] = "volume", ["Target"] = volume.Target };
                if (source is not null)
                    mount["Source"] = source;
                if (volume.ReadOnly)
                    mount["ReadOnly"] = true;
                if (volume.VolumeNoCopy || volume.VolumeLabels.Count > 0)
                {
                    var volumeOptions = new JsonObject();
                    if (volume.VolumeNoCopy)
                        volumeOptions["NoCopy"] = true;
                    if (volume.VolumeLabels.Count > 0)
                        volumeOptions["Labels"] = StringMap(volume.VolumeLabels);
                    mount["VolumeOptions"] = volumeOptions;
                }
                Mounts.Add((JsonNode)mount);
                break;
            case "tmpfs":
                var tmpfs = new JsonObject { ["Type"] = "tmpfs", ["Target"] = volume.Target };
                if (volume.ReadOnly)
                    tmpfs["ReadOnly"] = true;
                if (volume.TmpfsSize is not null || volume.TmpfsMode is not null)
                {
                    var tmpfsOptions = new JsonObject();
                    if (volume.TmpfsSize is { } size)
                        tmpfsOptions["SizeBytes"] = size;
                    if (volume.TmpfsMode is { } mode)
                        tmpfsOptions["Mode"] = mode;
                    tmpfs["TmpfsOptions"] = tmpfsOptions;
                }
                Mounts.Add((JsonNode)tmpfs);
                break;
            default:
                throw new ComposeException($"unsupported mount type \"{volume.Type}\" for {volume.Target}");
        }
    }

    /// <summary>A secret or config from a file is bound read-only at its target; other sources are copied in after create.</summary>
    private void AddFileObject(IReadOnlyDictionary<string, FileObjectConfig> declared, ServiceFileReference reference)
    {
        if (declared.TryGetValue(reference.Source, out var config) && config.File is { } file)
            Mounts.Add((JsonNode)new JsonObject { ["Type"] = "bind", ["Source"] = file, ["Target"] = reference.Target, ["ReadOnly"] = true });
    }

    internal static JsonObject StringMap(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
            map[key] = value;
        return map;
    }
}
