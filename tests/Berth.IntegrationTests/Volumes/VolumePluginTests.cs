using System.Net;
using System.Text;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>
/// Volumes of a legacy volume plugin (berth-test-plugin on the host): create, inspect, ls, run, rm, errors, and the
/// plugin's mounts and unmounts, through the real docker CLI and the berth CLI.
/// </summary>
public sealed class VolumePluginTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync(true, TestVolumePlugin.DaemonArgs);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private BerthDaemon Daemon => _daemon;

    private Task<CommandResult> Docker(params string[] args) => Daemon.DockerAsync(args);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonElement> InspectVolumeAsync(string name) =>
        JsonDocument.Parse((await Docker("volume", "inspect", name)).EnsureSuccess().Stdout).RootElement[0];

    [Fact]
    public async Task A_plugin_volume_is_created_inspected_listed_used_and_removed_on_the_plugin()
    {
        await using var plugin = await TestVolumePlugin.StartAsync();
        string volume = Unique("pv");
        string since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(volume + "\n", (await Docker("volume", "create", "-d", plugin.Name, "--opt", "size=1g", "--label", "team=blue", volume)).EnsureSuccess().Stdout);
        Assert.True(Directory.Exists(Path.Combine(plugin.Root, volume)));

        var inspected = await InspectVolumeAsync(volume);
        Assert.Equal(plugin.Name, inspected.GetProperty("Driver").GetString());
        Assert.Equal(Path.Combine(plugin.Root, volume), inspected.GetProperty("Mountpoint").GetString());
        Assert.Equal("1g", inspected.GetProperty("Options").GetProperty("size").GetString());
        Assert.Equal("blue", inspected.GetProperty("Labels").GetProperty("team").GetString());
        Assert.Equal("1g", inspected.GetProperty("Status").GetProperty("Opts").GetProperty("size").GetString());
        Assert.Equal(0, TestVolumePlugin.MountsIn(inspected));
        Assert.Equal("local", inspected.GetProperty("Scope").GetString());

        Assert.Equal($"{plugin.Name} {volume}\n",
            (await Docker("volume", "ls", "--filter", "driver=" + plugin.Name, "--format", "{{.Driver}} {{.Name}}")).EnsureSuccess().Stdout);
        // The berth CLI shows the same.
        Assert.Equal($"{plugin.Name} {volume}\n",
            (await Daemon.BerthAsync("volume", "ls", "--filter", "driver=" + plugin.Name, "--format", "{{.Driver}} {{.Name}}")).EnsureSuccess().Stdout);

        string container = Unique("writer");
        (await Docker("run", "--name", container, "-v", volume + ":/data", "busybox", "sh", "-c", "echo from-container > /data/f")).EnsureSuccess();
        Assert.Equal("from-container\n", File.ReadAllText(Path.Combine(plugin.Root, volume, "f")));
        var mounts = JsonDocument.Parse((await Docker("inspect", "-f", "{{json .Mounts}}", container)).EnsureSuccess().Stdout).RootElement[0];
        Assert.Equal(("volume", volume, "", plugin.Name, ""), (mounts.GetProperty("Type").GetString(), mounts.GetProperty("Name").GetString(),
            mounts.GetProperty("Source").GetString(), mounts.GetProperty("Driver").GetString(), mounts.GetProperty("Mode").GetString()));

        var refused = await Docker("volume", "rm", volume);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"remove {volume}: volume is in use - [", refused.Stderr);
        (await Docker("rm", container)).EnsureSuccess();
        Assert.Equal(volume + "\n", (await Docker("volume", "rm", volume)).EnsureSuccess().Stdout);
        Assert.False(Directory.Exists(Path.Combine(plugin.Root, volume)));
        Assert.Single(plugin.CallsOf("VolumeDriver.Remove", volume));

        var events = (await Docker("events", "--since", since, "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--filter", "type=volume", "--filter", "volume=" + volume, "--format", "{{.Action}} {{.Actor.Attributes.driver}}")).EnsureSuccess().Stdout;
        Assert.Equal($"create {plugin.Name}\nmount {plugin.Name}\nunmount {plugin.Name}\ndestroy {plugin.Name}\n", events);
    }

    [Fact]
    public async Task Errors_from_the_plugin_and_a_missing_plugin_are_worded_as_dockerd_words_them()
    {
        await using var plugin = await TestVolumePlugin.StartAsync();
        string volume = Unique("bad");

        var failed = await Docker("volume", "create", "-d", plugin.Name, "--opt", "fail=disk is full", volume);
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal($"Error response from daemon: create {volume}: VolumeDriver.Create: disk is full\n", failed.Stderr);
        Assert.Equal(1, (await Docker("volume", "inspect", volume)).ExitCode);

        string missing = Unique("nosuch");
        var started = DateTime.UtcNow;
        var notFound = await Docker("volume", "create", "-d", missing, volume);
        Assert.Equal($"Error response from daemon: create {volume}: error looking up volume plugin {missing}: plugin \"{missing}\" not found\n", notFound.Stderr);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "a missing plugin is not waited for");

        // A container asking for a missing driver is a 404 too (the docker CLI would take it for a missing image).
        var create = await Daemon.Http.PostAsync("/v1.50/containers/create",
            new StringContent($$$"""{"Image":"busybox","HostConfig":{"Binds":["{{{volume}}}:/d"],"VolumeDriver":"{{{missing}}}"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Equal($"create {volume}: error looking up volume plugin {missing}: plugin \"{missing}\" not found",
            JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());

        // A name taken by another driver is refused, as dockerd refuses it.
        (await Docker("volume", "create", "-d", plugin.Name, volume)).EnsureSuccess();
        var taken = await Docker("volume", "create", volume);
        Assert.Equal($"Error response from daemon: create {volume}: driver '{plugin.Name}' already has volume '{volume}': volume name must be unique\n", taken.Stderr);

        // A plugin that stopped answering: ls still lists, with dockerd's warning; inspect fails naming the driver.
        await plugin.StopAsync();
        File.WriteAllText(plugin.Socket, "");
        var list = JsonDocument.Parse(await Daemon.Http.GetStringAsync("/v1.50/volumes")).RootElement;
        Assert.Contains(list.GetProperty("Volumes").EnumerateArray(), v => v.GetProperty("Name").GetString() == volume);
        Assert.Contains(list.GetProperty("Warnings").EnumerateArray(), w => w.GetString()!.StartsWith($"list {plugin.Name}: Post ", StringComparison.Ordinal));
        var inspect = await Docker("volume", "inspect", volume);
        Assert.Contains($"get {volume}: error while checking if volume \"{volume}\" exists in driver \"{plugin.Name}\": ", inspect.Stderr);
        File.Delete(plugin.Socket);
        await plugin.LaunchAsync();
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task Each_container_use_is_mounted_with_its_own_id_and_unmounted_when_it_stops()
    {
        await using var plugin = await TestVolumePlugin.StartAsync();
        string volume = Unique("shared");
        string a = Unique("a"), b = Unique("b");

        // Made on first use, by -v with --volume-driver and by --mount with volume-driver.
        (await Docker("run", "-d", "--name", a, "--volume-driver", plugin.Name, "-v", volume + ":/data", "busybox", "sleep", "300")).EnsureSuccess();
        (await Docker("run", "-d", "--name", b, "--mount", $"type=volume,src={volume},dst=/data,volume-driver={plugin.Name}", "busybox", "sleep", "300")).EnsureSuccess();
        Assert.Equal(2, TestVolumePlugin.MountsIn(await InspectVolumeAsync(volume)));
        var mountIds = plugin.CallsOf("VolumeDriver.Mount", volume).Select(c => c.Split(' ')[2]).ToArray();
        Assert.Equal(2, mountIds.Distinct().Count());
        Assert.All(mountIds, id => Assert.Matches("^[0-9a-f]{64}$", id));

        (await Docker("stop", "-t", "0", a)).EnsureSuccess();
        Assert.Equal(1, TestVolumePlugin.MountsIn(await InspectVolumeAsync(volume)));
        (await Docker("start", a)).EnsureSuccess();
        Assert.Equal(2, TestVolumePlugin.MountsIn(await InspectVolumeAsync(volume)));
        // The berth CLI shows the plugin's status too.
        Assert.Equal("2\n", (await Daemon.BerthAsync("volume", "inspect", "-f", "{{.Status.Mounts}}", volume)).EnsureSuccess().Stdout);

        (await Docker("rm", "-f", a, b)).EnsureSuccess();
        Assert.Equal(0, TestVolumePlugin.MountsIn(await InspectVolumeAsync(volume)));
        var mounted = plugin.CallsOf("VolumeDriver.Mount", volume).Select(c => c.Split(' ')[2]).Order().ToArray();
        var unmounted = plugin.CallsOf("VolumeDriver.Unmount", volume).Select(c => c.Split(' ')[2]).Order().ToArray();
        Assert.Equal(3, mounted.Length);
        Assert.Equal(mounted, unmounted);

        Assert.Contains(volume, (await Docker("volume", "prune", "-af")).EnsureSuccess().Stdout);
        Assert.False(Directory.Exists(Path.Combine(plugin.Root, volume)));
    }
}
