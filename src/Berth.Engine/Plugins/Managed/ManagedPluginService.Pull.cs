using Berth.Api;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Errors;
using Berth.Oci.References;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// Plugins from registries, as dockerd 20.10 installs and upgrades them: GET /plugins/privileges reads the remote
/// config, POST /plugins/pull fetches, checks the granted privileges and creates the plugin (disabled; the client sets
/// its args and enables it), POST /plugins/{name}/upgrade replaces a disabled plugin's rootfs and config in place,
/// keeping its ID and settings.
/// </summary>
public sealed partial class ManagedPluginService
{
    /// <summary>
    /// The privileges a remote plugin asks for. As dockerd 20.10, a remote that cannot be read asks for nothing (the
    /// pull that follows says why); one that is not a plugin is an error.
    /// </summary>
    public async Task<List<PluginPrivilege>> PrivilegesAsync(RegistryClient registry, string? remote, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var reference = ParseRemote(remote);
        try
        {
            return PluginPrivileges.Of(await new PluginFetcher(registry, Store).ConfigAsync(reference, credentials, cancellationToken));
        }
        catch (BerthException e) when (!e.Message.StartsWith("did not find plugin config", StringComparison.Ordinal))
        {
            _logger.LogDebug("privileges of plugin {Remote}: {Message}", reference.ToString(), e.Message);
            return [];
        }
    }

    /// <summary>The remote of a pull or upgrade, tagged latest when it has no tag or digest; dockerd's errors (500) when it is not a reference.</summary>
    public static ImageReference ParseRemote(string? remote)
    {
        if (!ImageReference.TryParse(remote ?? "", addLatest: true, out var reference, out string error)) throw BerthException.Internal(error);
        return reference;
    }

    /// <summary>The name an install records: the alias, else the remote's name, normalized ("x" is "x:latest").</summary>
    public static string InstallName(ImageReference remote, string? alias) =>
        PluginNames.Normalize(string.IsNullOrEmpty(alias) ? remote.ToString() : alias);

    /// <summary>dockerd answers 400 (not create's 409) for an install under a taken name, before anything is fetched.</summary>
    public void EnsureNameFree(string name)
    {
        if (Store.NameTaken(name)) throw BerthException.Invalid($"plugin {name} already exists");
    }

    /// <summary>POST /plugins/pull: fetches <paramref name="remote"/> and creates the plugin <paramref name="name"/>, disabled.</summary>
    public async Task InstallAsync(RegistryClient registry, ImageReference remote, string name, IReadOnlyList<PluginPrivilege> granted, RegistryCredentials credentials,
        IProgress<JsonMessage>? progress, CancellationToken cancellationToken)
    {
        await WithFetchedAsync(registry, remote, granted, credentials, progress, async fetched =>
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                EnsureNameFree(name);
                var plugin = new Plugin
                {
                    Id = NewId(), Name = name, PluginReference = remote.ToString(), Config = fetched.Config, Settings = InitialSettings(fetched.Config),
                };
                string dir = Store.DirOf(plugin.Id);
                Directory.CreateDirectory(dir);
                Directory.Move(fetched.Rootfs, Store.RootfsOf(plugin.Id));
                if (fetched.Config.PropagatedMount.Length > 0) Directory.CreateDirectory(Store.PropagatedMountOf(plugin.Id));
                Metadata.JsonFiles.Write(Path.Combine(dir, PluginStore.ConfigFile), fetched.Config, ApiJsonContext.Default.PluginConfig);
                Store.SaveBlobs(plugin.Id, fetched.Blobs);
                Store.Save(plugin);
                Publish(plugin, "pull", name);
            }
            finally
            {
                _lock.Release();
            }
        }, cancellationToken);
    }

    /// <summary>The plugin an upgrade names, which must be disabled; dockerd's errors, before anything is fetched.</summary>
    public Plugin UpgradeTarget(string refOrId)
    {
        var plugin = Store.TryGet(refOrId) ?? throw BerthException.NotFound($"plugin \"{PluginNames.TryNormalize(refOrId) ?? refOrId}\" not found");
        if (plugin.Enabled) throw BerthException.Conflict($"plugin must be disabled before upgrading: plugin {plugin.Name} is enabled");
        return plugin;
    }

    /// <summary>POST /plugins/{name}/upgrade: the new rootfs and config replace the old; ID, name and settings stay.</summary>
    public async Task UpgradeAsync(RegistryClient registry, string refOrId, ImageReference remote, IReadOnlyList<PluginPrivilege> granted, RegistryCredentials credentials,
        IProgress<JsonMessage>? progress, CancellationToken cancellationToken)
    {
        UpgradeTarget(refOrId);
        await WithFetchedAsync(registry, remote, granted, credentials, progress, async fetched =>
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                var plugin = UpgradeTarget(refOrId);
                string rootfs = Store.RootfsOf(plugin.Id), old = Path.Combine(Store.Tmp, Guid.NewGuid().ToString("N"));
                if (Directory.Exists(rootfs)) Directory.Move(rootfs, old);
                Directory.Move(fetched.Rootfs, rootfs);
                if (fetched.Config.PropagatedMount.Length > 0) Directory.CreateDirectory(Store.PropagatedMountOf(plugin.Id));
                Metadata.JsonFiles.Write(Path.Combine(Store.DirOf(plugin.Id), PluginStore.ConfigFile), fetched.Config, ApiJsonContext.Default.PluginConfig);
                Store.SaveBlobs(plugin.Id, fetched.Blobs);
                plugin.Config = fetched.Config;
                plugin.PluginReference = remote.ToString();
                Store.Save(plugin);
                if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
                Store.CollectBlobs();
            }
            finally
            {
                _lock.Release();
            }
        }, cancellationToken);
    }

    /// <summary>Fetches into scratch space, hands the result to <paramref name="keep"/> and removes what it left.</summary>
    private async Task WithFetchedAsync(RegistryClient registry, ImageReference remote, IReadOnlyList<PluginPrivilege> granted, RegistryCredentials credentials,
        IProgress<JsonMessage>? progress, Func<FetchedPlugin, Task> keep, CancellationToken cancellationToken)
    {
        string scratch = Path.Combine(Store.Tmp, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        var pins = new List<IDisposable>();
        try
        {
            var fetched = await new PluginFetcher(registry, Store)
                .FetchAsync(remote, credentials, granted, scratch, pins, new ProgressReporter(progress), cancellationToken);
            await keep(fetched);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
            pins.ForEach(pin => pin.Dispose());
            Store.CollectBlobs();
        }
    }
}
