using System.Text.Json;
using Berth.Api;
using Berth.Oci.ContainerFiles;
using Berth.Oci.Errors;

namespace Berth.Engine.Plugins.Managed;

public sealed partial class ManagedPluginService
{
    /// <summary>
    /// POST /plugins/create: <paramref name="archive"/> is a tar of a plugin directory (config.json and rootfs/). It is
    /// unpacked into scratch space (no entry may land outside it), checked, and renamed into place; the record goes
    /// last. Returns the normalized name.
    /// </summary>
    public async Task<string> CreateAsync(string repoName, Stream archive, CancellationToken cancellationToken)
    {
        string name = PluginNames.Normalize(repoName);
        if (Store.NameTaken(name)) throw BerthException.Conflict($"plugin {name} already exists");
        string scratch = Path.Combine(Store.Tmp, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        var pins = new List<IDisposable>();
        try
        {
            using (var root = ScopedRoot.Open(scratch, "the plugin archive"))
                await ContainerArchive.ExtractAsync(root, "/", archive, new ExtractOptions(NoOverwriteDirNonDir: false), name, cancellationToken);
            string rootfs = Path.Combine(scratch, "rootfs");
            if (!Directory.Exists(rootfs) || new DirectoryInfo(rootfs).LinkTarget is not null)
                throw BerthException.Internal("no rootfs found: EOF");
            var config = ReadConfig(Path.Combine(scratch, PluginStore.ConfigFile));
            config.DockerVersion = _engineVersion;
            var blobs = await PluginPacker.PackAsync(Store, rootfs, config, pins, cancellationToken);

            await _lock.WaitAsync(cancellationToken);
            try
            {
                if (Store.NameTaken(name)) throw BerthException.Conflict($"plugin {name} already exists");
                var plugin = new Plugin { Id = NewId(), Name = name, PluginReference = name, Config = config, Settings = InitialSettings(config) };
                string dir = Store.DirOf(plugin.Id);
                Directory.CreateDirectory(dir);
                Directory.Move(rootfs, Store.RootfsOf(plugin.Id));
                if (config.PropagatedMount.Length > 0) Directory.CreateDirectory(Store.PropagatedMountOf(plugin.Id));
                Berth.Engine.Metadata.JsonFiles.Write(Path.Combine(dir, PluginStore.ConfigFile), config, ApiJsonContext.Default.PluginConfig);
                Store.SaveBlobs(plugin.Id, blobs);
                Store.Save(plugin);
                Publish(plugin, "create", name);
            }
            finally
            {
                _lock.Release();
            }
            return name;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
            pins.ForEach(pin => pin.Dispose());
        }
    }

    private static PluginConfig ReadConfig(string path)
    {
        var file = new FileInfo(path);
        // A symlink planted by the archive must not make the daemon read a file of the host.
        if (!file.Exists || file.LinkTarget is not null) throw BerthException.Internal("failed to parse config: unexpected end of JSON input");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ApiJsonContext.Default.PluginConfig)
                ?? throw BerthException.Internal("failed to parse config: config is null");
        }
        catch (JsonException e)
        {
            throw BerthException.Internal($"failed to parse config: {e.Message}");
        }
    }

    /// <summary>The config's values as the first settings: env with a value, args, mounts and devices as declared.</summary>
    internal static PluginSettings InitialSettings(PluginConfig config) => new()
    {
        Env = [.. (config.Env ?? []).Where(e => e.Value is not null).Select(e => $"{e.Name}={e.Value}")],
        Args = [.. config.Args.Value ?? []],
        Mounts = [.. (config.Mounts ?? []).Select(m => new PluginMount
        {
            Description = m.Description, Destination = m.Destination, Name = m.Name, Options = m.Options is null ? null : [.. m.Options],
            Settable = m.Settable is null ? null : [.. m.Settable], Source = m.Source, Type = m.Type,
        })],
        Devices = [.. (config.Linux.Devices ?? []).Select(d => new PluginDevice
        {
            Description = d.Description, Name = d.Name, Path = d.Path, Settable = d.Settable is null ? null : [.. d.Settable],
        })],
    };
}
