using Berth.Engine.Plugins;

namespace Berth.Tests.Plugins;

public sealed class PluginClientTests : IDisposable
{
    private readonly string _dir = Path.Combine("/tmp", "berth-pc-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private VolumeDriverClient Driver(FakePluginServer server, Func<string, string>? hostPath = null) =>
        new(new PluginEndpoint { Name = "fake", Address = server.SocketPath, Implements = ["VolumeDriver"], HostPath = hostPath ?? (p => p) }, new PluginClient());

    [Fact]
    public async Task Calls_post_json_with_dockers_accept_header_and_read_the_answer()
    {
        using var server = new FakePluginServer(Path.Combine(_dir, "p.sock"))
        {
            Answer = path => path == "/VolumeDriver.Mount" ? (200, """{"Mountpoint":"/inside/v1"}""") : (200, "{}"),
        };
        var driver = Driver(server, p => "/host/root" + p);

        await driver.CreateAsync("v1", new() { ["size"] = "1g" }, CancellationToken.None);
        Assert.Equal("/host/root/inside/v1", await driver.MountAsync("v1", "id-1", CancellationToken.None));

        Assert.Equal(("/VolumeDriver.Create", PluginClient.MediaType, """{"Name":"v1","Opts":{"size":"1g"}}"""), server.Requests[0]);
        Assert.Equal(("/VolumeDriver.Mount", PluginClient.MediaType, """{"Name":"v1","ID":"id-1"}"""), server.Requests[1]);
    }

    [Fact]
    public async Task Errors_are_worded_as_dockerd_words_them()
    {
        using var server = new FakePluginServer(Path.Combine(_dir, "p.sock"))
        {
            Answer = path => path switch
            {
                "/VolumeDriver.Create" => (500, """{"Err":"disk full"}"""),
                "/VolumeDriver.Remove" => (200, """{"Err":"still busy"}"""),
                _ => (404, "404 page not found"),
            },
        };
        var driver = Driver(server);

        var create = await Assert.ThrowsAsync<PluginCallException>(() => driver.CreateAsync("v1", null, CancellationToken.None));
        Assert.Equal("VolumeDriver.Create: disk full", create.Message);
        var remove = await Assert.ThrowsAsync<PluginCallException>(() => driver.RemoveAsync("v1", CancellationToken.None));
        Assert.Equal("still busy", remove.Message);
        var get = await Assert.ThrowsAsync<PluginCallException>(() => driver.GetAsync("v1", CancellationToken.None));
        Assert.Equal("VolumeDriver.Get: 404 page not found", get.Message);
        // A plugin without Capabilities is a local one, as dockerd assumes.
        Assert.Equal("local", await driver.ScopeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_plugin_that_is_not_there_fails_quickly_with_gos_dial_error()
    {
        string socket = Path.Combine(_dir, "gone.sock");
        var driver = new VolumeDriverClient(new PluginEndpoint { Name = "gone", Address = socket, Implements = [] }, new PluginClient());
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<PluginCallException>(() => driver.ListAsync(CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal($"Post \"http://{Uri.EscapeDataString(socket)}/VolumeDriver.List\": dial unix {socket}: connect: no such file or directory", error.Message);
    }

    [Fact]
    public async Task Get_and_list_map_the_plugins_mountpoints_and_keep_its_status()
    {
        using var server = new FakePluginServer(Path.Combine(_dir, "p.sock"))
        {
            Answer = path => path switch
            {
                "/VolumeDriver.Get" => (200, """{"Volume":{"Name":"v1","Mountpoint":"/m/v1","Status":{"size":5,"state":"ok"}}}"""),
                "/VolumeDriver.List" => (200, """{"Volumes":[{"Name":"v1","Mountpoint":"/m/v1"},{"Name":"v2"}]}"""),
                _ => (200, "{}"),
            },
        };
        var driver = Driver(server, p => "/rootfs" + p);

        var volume = await driver.GetAsync("v1", CancellationToken.None);
        Assert.Equal("/rootfs/m/v1", volume.Mountpoint);
        Assert.Equal(5, volume.Status!["size"].GetInt32());
        var listed = await driver.ListAsync(CancellationToken.None);
        Assert.Equal(["v1", "v2"], listed.Select(v => v.Name));
        Assert.Equal(["/rootfs/m/v1", ""], listed.Select(v => v.Mountpoint));
    }
}
