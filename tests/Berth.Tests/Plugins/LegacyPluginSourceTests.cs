using Berth.Engine.Plugins;

namespace Berth.Tests.Plugins;

public sealed class LegacyPluginSourceTests : IDisposable
{
    private readonly string _root = Path.Combine("/tmp", "berth-lp-" + Guid.NewGuid().ToString("N")[..8]);
    private string Sockets => Path.Combine(_root, "run");
    private string Etc => Path.Combine(_root, "etc");
    private string Lib => Path.Combine(_root, "lib");

    public LegacyPluginSourceTests()
    {
        foreach (var dir in new[] { Sockets, Etc, Lib }) Directory.CreateDirectory(dir);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private LegacyPluginSource Source() => new([Sockets], [Etc, Lib], new PluginClient());

    [Fact]
    public void Sockets_come_before_spec_files_and_etc_before_lib()
    {
        File.WriteAllText(Path.Combine(Etc, "both.spec"), "unix:///etc/answer.sock\n");
        File.WriteAllText(Path.Combine(Sockets, "both.sock"), "");
        File.WriteAllText(Path.Combine(Lib, "spec.spec"), "tcp://127.0.0.1:9000");
        File.WriteAllText(Path.Combine(Etc, "spec.json"), """{"Name":"spec","Addr":"http://127.0.0.1:9001"}""");
        Directory.CreateDirectory(Path.Combine(Sockets, "nested"));
        File.WriteAllText(Path.Combine(Sockets, "nested", "nested.sock"), "");
        Directory.CreateDirectory(Path.Combine(Lib, "indir"));
        File.WriteAllText(Path.Combine(Lib, "indir", "indir.spec"), "tcp://10.0.0.1:80");

        var source = Source();
        Assert.Equal(Path.Combine(Sockets, "both.sock"), source.Locate("both"));
        Assert.Equal("http://127.0.0.1:9001", source.Locate("spec")); // .json in etc before .spec in lib
        Assert.Equal(Path.Combine(Sockets, "nested", "nested.sock"), source.Locate("nested"));
        Assert.Equal("http://10.0.0.1:80", source.Locate("indir"));
        Assert.Null(source.Locate("missing"));
        Assert.Null(source.Locate("../run/both"));
        Assert.Null(source.Locate("vieux/sshfs:latest"));
        Assert.Equal(["both", "nested", "spec", "indir"], source.Names()); // by directory, then by name
    }

    [Fact]
    public async Task A_missing_plugin_is_not_found_at_once()
    {
        var started = DateTime.UtcNow;
        Assert.Null(await Source().FindAsync("nosuch", "VolumeDriver", CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Activation_tells_what_a_plugin_implements_and_is_asked_once()
    {
        using var server = new FakePluginServer(Path.Combine(Sockets, "vol.sock"))
        {
            Answer = path => path == "/Plugin.Activate" ? (200, """{"Implements":["VolumeDriver"]}""") : (200, "{}"),
        };
        var source = Source();

        var plugin = await source.FindAsync("vol", "VolumeDriver", CancellationToken.None);
        Assert.NotNull(plugin);
        Assert.Equal(("vol", server.SocketPath, false), (plugin.Name, plugin.Address, plugin.Managed));
        Assert.Equal("/x/y", plugin.HostPath("/x/y"));
        Assert.Null(await source.FindAsync("vol", "NetworkDriver", CancellationToken.None));
        Assert.Single(server.Requests, r => r.Path == "/Plugin.Activate");
        Assert.Equal(["vol"], (await source.ListAsync("VolumeDriver", CancellationToken.None)).Select(p => p.Name));
    }

    [Fact]
    public async Task A_dead_socket_is_left_out_of_the_list_but_fails_a_lookup()
    {
        File.WriteAllText(Path.Combine(Sockets, "dead.sock"), "");
        var source = Source();
        Assert.Empty(await source.ListAsync("VolumeDriver", CancellationToken.None));
        var error = await Assert.ThrowsAsync<PluginCallException>(() => source.FindAsync("dead", "VolumeDriver", CancellationToken.None).AsTask());
        Assert.Contains("/Plugin.Activate\": dial unix", error.Message);
    }

    [Fact]
    public async Task The_registry_asks_its_sources_in_order()
    {
        var first = new FixedSource(new PluginEndpoint { Name = "shared", Address = "/first", Implements = ["VolumeDriver"], Managed = true });
        var second = new FixedSource(
            new PluginEndpoint { Name = "shared", Address = "/second", Implements = ["VolumeDriver"] },
            new PluginEndpoint { Name = "other", Address = "/other", Implements = ["VolumeDriver"] });
        var registry = new PluginRegistry(new PluginClient(), first, second);

        Assert.Equal("/first", (await registry.FindAsync("shared", "VolumeDriver", CancellationToken.None))!.Address);
        Assert.Equal("/other", (await registry.FindAsync("other", "VolumeDriver", CancellationToken.None))!.Address);
        Assert.Null(await registry.FindAsync("shared", "NetworkDriver", CancellationToken.None));
        Assert.Equal(["/first", "/other"], (await registry.ListAsync("VolumeDriver", CancellationToken.None)).Select(p => p.Address));
    }

    private sealed class FixedSource(params PluginEndpoint[] plugins) : IPluginSource
    {
        public ValueTask<PluginEndpoint?> FindAsync(string name, string capability, CancellationToken ct) =>
            ValueTask.FromResult(plugins.FirstOrDefault(p => p.Name == name && p.Implements.Contains(capability)));

        public ValueTask<IReadOnlyList<PluginEndpoint>> ListAsync(string capability, CancellationToken ct) =>
            ValueTask.FromResult<IReadOnlyList<PluginEndpoint>>(plugins.Where(p => p.Implements.Contains(capability)).ToList());
    }
}
