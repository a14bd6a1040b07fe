using Berth.Api;
using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Engine.Volumes;

/// <summary>
/// dockerd's registerMountPoints: turns a new container's VolumesFrom, Binds, Mounts and Config.Volumes (the image's
/// VOLUMEs and <c>-v /path</c>) into its mount points, making the volumes they name (or that have no name) on the way.
/// Later sources override earlier ones at the same destination, except two explicit mounts there, which is an error.
/// </summary>
public sealed class MountPlanner(Func<VolumeRequest, CancellationToken, Task<VolumeRecord>> getOrCreateVolume, Func<string, string> dataDirOf, Func<string, ContainerRecord> containerOf)
{
    public async Task<List<MountPointRecord>> PlanAsync(ContainerConfig config, HostConfig host, CancellationToken cancellationToken)
    {
        var byDestination = new Dictionary<string, MountPointRecord>(StringComparer.Ordinal);
        var order = new List<string>();
        void Put(MountPointRecord mount)
        {
            string destination = Clean(mount.Destination);
            if (!byDestination.ContainsKey(destination)) order.Add(destination);
            byDestination[destination] = mount;
        }

        foreach (var entry in host.VolumesFrom ?? [])
        {
            var (id, mode) = ParseVolumesFrom(entry);
            var source = containerOf(id);
            foreach (var mount in source.MountPoints ?? [])
            {
                Put(new MountPointRecord
                {
                    Type = mount.Type, Name = mount.Name, Source = mount.Source, Destination = mount.Destination, Driver = mount.Driver,
                    Mode = mode ?? mount.Mode, RW = mode is null ? mount.RW : mode == "rw", Propagation = mount.Propagation,
                    CopyData = mount.CopyData, Anonymous = mount.Anonymous, Subpath = mount.Subpath, NonRecursive = mount.NonRecursive,
                    TmpfsOptions = mount.TmpfsOptions,
                });
            }
        }

        var explicitDestinations = new HashSet<string>(StringComparer.Ordinal);
        void PutExplicit(MountPointRecord mount)
        {
            if (!explicitDestinations.Add(Clean(mount.Destination))) throw BerthException.Invalid($"Duplicate mount point: {mount.Destination}");
            Put(mount);
        }

        foreach (var bind in host.Binds ?? [])
        {
            var spec = BindSpec.Parse(bind);
            if (!spec.IsVolume)
            {
                // -v creates a missing host directory (--mount does not).
                if (!Path.Exists(spec.Source)) Directory.CreateDirectory(spec.Source);
                PutExplicit(new MountPointRecord
                {
                    Type = "bind", Source = spec.Source, Destination = spec.Destination, Mode = spec.Mode, RW = !spec.ReadOnly, Propagation = spec.Propagation,
                });
                continue;
            }
            var volume = await getOrCreateVolume(new VolumeRequest(spec.Source, null, null, Anonymous: false, DriverOf(host.VolumeDriver)), cancellationToken);
            PutExplicit(VolumeMount(volume, spec.Destination, spec.Mode, !spec.ReadOnly, copyData: !spec.NoCopy, anonymous: false, subpath: null));
        }

        foreach (var mount in host.Mounts ?? [])
            PutExplicit(await FromMountAsync(mount, cancellationToken));

        foreach (var path in config.Volumes?.Keys.ToList() ?? [])
        {
            if (!path.StartsWith('/'))
                throw BerthException.Invalid($"invalid mount config for type \"volume\": invalid mount path: '{path}' mount path must be absolute");
            if (byDestination.ContainsKey(Clean(path))) continue;
            var volume = await getOrCreateVolume(new VolumeRequest(null, null, null, Anonymous: true, DriverOf(host.VolumeDriver)), cancellationToken);
            Put(VolumeMount(volume, path, "", rw: true, copyData: true, anonymous: true, subpath: null));
        }
        return order.Select(d => byDestination[d]).ToList();
    }

    private async Task<MountPointRecord> FromMountAsync(Mount mount, CancellationToken cancellationToken)
    {
        string type = mount.Type ?? "";
        string target = mount.Target ?? "";
        if (target.Length == 0) throw BerthException.Invalid($"invalid mount config for type \"{type}\": field Target must not be empty");
        if (!target.StartsWith('/'))
            throw BerthException.Invalid($"invalid mount config for type \"{type}\": invalid mount path: '{target}' mount path must be absolute");
        switch (type)
        {
            case "bind":
                string source = mount.Source ?? "";
                if (source.Length == 0) throw BerthException.Invalid("invalid mount config for type \"bind\": field Source must not be empty");
                if (mount.VolumeOptions is not null) throw BerthException.Invalid("invalid mount config for type \"bind\": field VolumeOptions must not be specified");
                if (!Path.Exists(source))
                {
                    if (mount.BindOptions?.CreateMountpoint != true)
                        throw BerthException.Invalid($"invalid mount config for type \"bind\": bind source path does not exist: {source}");
                    Directory.CreateDirectory(source);
                }
                return new MountPointRecord
                {
                    Type = "bind", Source = source, Destination = target, RW = !mount.ReadOnly,
                    Propagation = mount.BindOptions?.Propagation is { Length: > 0 } p ? p : "rprivate",
                    NonRecursive = mount.BindOptions?.NonRecursive == true,
                };
            case "tmpfs":
                if (!string.IsNullOrEmpty(mount.Source)) throw BerthException.Invalid("invalid mount config for type \"tmpfs\": field Source must not be specified");
                return new MountPointRecord { Type = "tmpfs", Destination = target, RW = !mount.ReadOnly, TmpfsOptions = TmpfsOptionsOf(mount) };
            case "volume":
                if (mount.BindOptions is not null) throw BerthException.Invalid("invalid mount config for type \"volume\": field BindOptions must not be specified");
                var options = mount.VolumeOptions;
                string? subpath = options?.Subpath is { Length: > 0 } s ? CheckSubpath(s) : null;
                bool anonymous = string.IsNullOrEmpty(mount.Source);
                if (!anonymous && !VolumeNames.IsValid(mount.Source!)) VolumeNames.Validate(mount.Source!);
                var volume = await getOrCreateVolume(new VolumeRequest(anonymous ? null : mount.Source, options?.DriverConfig?.Options, options?.Labels, anonymous,
                    DriverOf(options?.DriverConfig?.Name)), cancellationToken);
                return VolumeMount(volume, target, "z", !mount.ReadOnly, copyData: options?.NoCopy != true, anonymous, subpath);
            default:
                throw BerthException.NotImplemented($"mount type \"{type}\" is not implemented in this version of berthd");
        }
    }

    private MountPointRecord VolumeMount(VolumeRecord volume, string destination, string mode, bool rw, bool copyData, bool anonymous, string? subpath) => new()
    {
        // dockerd shows no Source for a plugin's volume: where it is is the plugin's answer at each mount.
        Type = "volume", Name = volume.Name, Source = volume.IsLocal ? dataDirOf(volume.Name) : "", Destination = destination, Driver = volume.Driver,
        // dockerd gives the SELinux default "z" to the local driver's volumes only.
        Mode = !volume.IsLocal && mode == "z" ? "" : mode, RW = rw, CopyData = copyData, Anonymous = anonymous, Subpath = subpath,
    };

    private static string CheckSubpath(string subpath)
    {
        string clean = Path.TrimEndingDirectorySeparator(subpath);
        if (Path.IsPathRooted(clean) || clean.Split('/').Any(part => part == ".."))
            throw BerthException.Invalid($"invalid mount config for type \"volume\": subpath must be a relative path within the volume: {subpath}");
        return clean;
    }

    // No driver named: an existing volume of any driver, else a local one.
    private static string? DriverOf(string? driver) => string.IsNullOrEmpty(driver) ? null : driver;

    public static (string Id, string? Mode) ParseVolumesFrom(string entry)
    {
        int colon = entry.IndexOf(':');
        if (colon < 0) return (entry, null);
        string id = entry[..colon], mode = entry[(colon + 1)..];
        if (mode is not ("ro" or "rw")) throw BerthException.Invalid($"invalid mode: {mode}");
        return (id, mode);
    }

    private static string Clean(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static string TmpfsOptionsOf(Mount mount)
    {
        var options = new List<string>();
        if (mount.TmpfsOptions?.SizeBytes is > 0) options.Add($"size={mount.TmpfsOptions.SizeBytes}");
        if (mount.TmpfsOptions?.Mode is > 0) options.Add($"mode={Convert.ToString(mount.TmpfsOptions.Mode, 8)}");
        foreach (var option in mount.TmpfsOptions?.Options ?? []) options.Add(string.Join('=', option));
        return string.Join(',', options);
    }
}

/// <summary>A volume a container asks for: by name (made if missing, with <paramref name="Driver"/>) or anonymous (a new 64-hex name, labelled so).</summary>
public sealed record VolumeRequest(string? Name, Dictionary<string, string>? DriverOptions, Dictionary<string, string>? Labels, bool Anonymous, string? Driver = null);
