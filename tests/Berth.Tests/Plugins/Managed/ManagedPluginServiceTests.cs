using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Plugins.Managed;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Plugins.Managed;

/// <summary>The store's lookups, set's rules and the plugin source, on a plugin record made by hand (nothing runs).</summary>
public sealed class ManagedPluginServiceTests : IDisposable
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly string _root = Directory.CreateTempSubdirectory("berth-plugins-").FullName;
    private readonly ManagedPluginService _service;

    public ManagedPluginServiceTests()
    {
        _service = new ManagedPluginService(new EnginePaths(Path.Combine(_root, "data"), Path.Combine(_root, "exec")), new EngineOptions(),
            new EventBus(), NullLogger.Instance, "28.2.2");
        Directory.CreateDirectory(_service.Store.DirOf(Id));
        _service.Store.Save(new Plugin
        {
            Id = Id,
            Name = "vieux/sshfs:latest",
            Config = new PluginConfig
            {
                Interface = new PluginInterface { Socket = "sshfs.sock", Types = ["docker.volumedriver/1.0"] },
                PropagatedMount = "/mnt/state",
                Env = [new PluginEnv { Name = "DEBUG", Settable = ["value"], Value = "0" }, new PluginEnv { Name = "FIXED", Value = "x" }],
                Args = new PluginArgs { Name = "args", Settable = ["value"] },
                Mounts = [new PluginMount { Name = "keys", Destination = "/keys", Settable = ["source"], Source = "/root/.ssh", Type = "bind" }],
            },
            Settings = new PluginSettings
            {
                Env = ["DEBUG=0", "FIXED=x"],
                Mounts = [new PluginMount { Name = "keys", Destination = "/keys", Settable = ["source"], Source = "/root/.ssh", Type = "bind" }],
            },
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("vieux/sshfs")]
    [InlineData("vieux/sshfs:latest")]
    [InlineData("docker.io/vieux/sshfs:latest")]
    [InlineData(Id)]
    [InlineData("0123456789ab")]
    public void A_plugin_is_found_by_name_id_or_id_prefix(string refOrId) => Assert.Equal(Id, _service.Get(refOrId).Id);

    [Fact]
    public void An_unknown_plugin_is_dockerds_not_found()
    {
        var e = Assert.Throws<Berth.Oci.Errors.BerthException>(() => _service.Get("vieux/sshfs:v2"));
        Assert.Equal("plugin \"vieux/sshfs:v2\" not found", e.Message);
    }

    [Fact]
    public async Task Set_changes_only_settable_fields_all_or_nothing()
    {
        await _service.SetAsync("vieux/sshfs", ["DEBUG=1", "keys=/srv/keys", "args=-o  allow_other"], CancellationToken.None);
        var plugin = _service.Get(Id);
        Assert.Equal(["DEBUG=1", "FIXED=x"], plugin.Settings.Env);
        Assert.Equal("/srv/keys", plugin.Settings.Mounts[0].Source);
        Assert.Equal(["-o", "allow_other"], plugin.Settings.Args);

        async Task<string> Refused(params string[] settings) =>
            (await Assert.ThrowsAsync<Berth.Oci.Errors.BerthException>(() => _service.SetAsync(Id, settings, CancellationToken.None))).Message;
        Assert.Equal("\"FIXED\" is not settable", await Refused("DEBUG=2", "FIXED=y"));
        Assert.Equal("\"keys.destination\" is not settable", await Refused("keys.destination=/x"));
        Assert.Equal("setting \"nope\" not found in the plugin configuration", await Refused("nope=1"));
        Assert.Equal(["DEBUG=1", "FIXED=x"], _service.Get(Id).Settings.Env);
    }

    [Fact]
    public async Task Only_an_enabled_plugin_is_a_source_and_its_paths_map_into_its_directories()
    {
        var source = new ManagedPluginSource(_service);
        Assert.Null(await source.FindAsync("vieux/sshfs", "VolumeDriver", CancellationToken.None));
        var plugin = _service.Get(Id);
        plugin.Enabled = true;
        _service.Store.Save(plugin);

        var endpoint = await source.FindAsync("vieux/sshfs", "VolumeDriver", CancellationToken.None);
        Assert.NotNull(endpoint);
        Assert.Equal("vieux/sshfs:latest", endpoint.Name);
        Assert.True(endpoint.Managed);
        Assert.Equal(["VolumeDriver"], endpoint.Implements);
        Assert.Equal(Path.Combine(_root, "exec", "plugins", Id, "sshfs.sock"), endpoint.Address);
        Assert.Equal(Path.Combine(_service.Store.PropagatedMountOf(Id), "v1"), endpoint.HostPath("/mnt/state/v1"));
        Assert.Equal(Path.Combine(_service.Store.RootfsOf(Id), "other/v1"), endpoint.HostPath("/other/v1"));
        Assert.Null(await source.FindAsync("vieux/sshfs", "NetworkDriver", CancellationToken.None));
        Assert.Single(await source.ListAsync("volumedriver", CancellationToken.None));
    }
}
