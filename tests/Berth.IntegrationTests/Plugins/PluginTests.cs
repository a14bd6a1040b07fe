using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// Managed plugins made with `docker plugin create` from a directory: listed, inspected, set, enabled (run as a
/// container through berth-shim and runc), used as a volume driver, disabled and removed, with dockerd's answers.
/// </summary>
public sealed class PluginTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Create_ls_inspect_set_and_rm_answer_as_dockerd()
    {
        string dir = await PluginDirectory.CreateAsync(Daemon.Root);
        Assert.Equal("cfg\n", (await Daemon.DockerAsync("plugin", "create", "cfg", dir)).EnsureSuccess().Stdout);
        try
        {
            var again = await Daemon.DockerAsync("plugin", "create", "cfg:latest", dir);
            Assert.Contains("Error response from daemon: plugin cfg:latest already exists", again.Stderr);

            var list = (await Daemon.DockerAsync("plugin", "ls")).EnsureSuccess().Stdout;
            Assert.Matches(@"(?m)^[0-9a-f]{12}\s+cfg:latest\s+berth test volume plugin\s+false$", list);
            Assert.Contains("cfg:latest", (await Daemon.BerthAsync("plugin", "ls", "--filter", "capability=volumedriver")).EnsureSuccess().Stdout);
            Assert.DoesNotContain("cfg:latest", (await Daemon.DockerAsync("plugin", "ls", "--filter", "enabled=true")).EnsureSuccess().Stdout);

            var plugin = JsonNode.Parse((await Daemon.DockerAsync("plugin", "inspect", "cfg")).EnsureSuccess().Stdout)![0]!;
            string id = plugin["Id"]!.GetValue<string>();
            Assert.Matches("^[0-9a-f]{64}$", id);
            Assert.Equal("cfg:latest", plugin["Name"]!.GetValue<string>());
            Assert.Equal("cfg:latest", plugin["PluginReference"]!.GetValue<string>());
            Assert.False(plugin["Enabled"]!.GetValue<bool>());
            Assert.Equal("""{"Args":[],"Devices":[],"Env":["DEBUG=0","FIXED=x"],"Mounts":[]}""", plugin["Settings"]!.ToJsonString());
            var config = plugin["Config"]!;
            Assert.Equal("""{"Socket":"tp.sock","Types":["docker.volumedriver/1.0"]}""", config["Interface"]!.ToJsonString());
            Assert.Equal("/data", config["PropagatedMount"]!.GetValue<string>());
            Assert.Equal("layers", config["rootfs"]!["type"]!.GetValue<string>());
            Assert.Matches("^sha256:[0-9a-f]{64}$", config["rootfs"]!["diff_ids"]![0]!.GetValue<string>());
            Assert.Equal("""{"Description":"","Name":"","Settable":null,"Value":null}""", config["Args"]!.ToJsonString());
            Assert.Equal("{}", config["User"]!.ToJsonString());

            // By full ID and by ID prefix, as dockerd finds plugins.
            Assert.Equal(0, (await Daemon.DockerAsync("plugin", "inspect", id)).ExitCode);
            Assert.Equal(id + "\n", (await Daemon.BerthAsync("plugin", "inspect", "-f", "{{.Id}}", id[..10])).EnsureSuccess().Stdout);

            (await Daemon.DockerAsync("plugin", "set", "cfg", "DEBUG=1")).EnsureSuccess();
            Assert.Contains("\"FIXED\" is not settable", (await Daemon.DockerAsync("plugin", "set", "cfg", "FIXED=y")).Stderr);
            Assert.Contains("setting \"NOPE\" not found in the plugin configuration", (await Daemon.BerthAsync("plugin", "set", "cfg", "NOPE=1")).Stderr);
            Assert.Equal("[\"DEBUG=1\",\"FIXED=x\"]\n", (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{json .Settings.Env}}", "cfg")).EnsureSuccess().Stdout);
        }
        finally
        {
            Assert.Equal("cfg\n", (await Daemon.DockerAsync("plugin", "rm", "cfg")).EnsureSuccess().Stdout);
        }
        Assert.Contains("plugin \"cfg\" not found", (await Daemon.DockerAsync("plugin", "inspect", "cfg")).Stderr);
        Assert.Contains("Error response from daemon: plugin \"cfg\" not found", (await Daemon.BerthAsync("plugin", "rm", "cfg")).Stderr);
    }

    [Fact]
    public async Task An_enabled_plugin_serves_volumes_and_is_kept_while_one_exists()
    {
        string dir = await PluginDirectory.CreateAsync(Daemon.Root);
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (await Daemon.BerthAsync("plugin", "create", "vp", dir)).EnsureSuccess();
        try
        {
            string id = (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", "vp")).EnsureSuccess().Stdout.Trim();
            Assert.Equal("vp\n", (await PluginDirectory.EnableAsync(Daemon, "vp")).Stdout);
            Assert.Contains("plugin already enabled: plugin vp:latest is enabled", (await Daemon.DockerAsync("plugin", "enable", "vp")).Stderr);
            Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(Path.Combine(Daemon.ExecRoot, "plugins", id, PluginDirectory.Socket)));
            Assert.Contains("vp:latest", (await Daemon.DockerAsync("plugin", "ls", "--filter", "enabled=true")).EnsureSuccess().Stdout);

            Assert.Contains("cannot set on an active plugin, disable plugin before setting", (await Daemon.DockerAsync("plugin", "set", "vp", "DEBUG=1")).Stderr);
            Assert.Contains("plugin vp:latest is enabled", (await Daemon.DockerAsync("plugin", "rm", "vp")).Stderr);

            (await Daemon.DockerAsync("volume", "create", "-d", "vp", "pv1")).EnsureSuccess();
            (await Daemon.DockerAsync("run", "--rm", "-v", "pv1:/x", "busybox", "sh", "-c", "echo hi > /x/f")).EnsureSuccess();
            Assert.Equal("hi\n", File.ReadAllText(Path.Combine(Daemon.DataRoot, "plugins", id, "propagated-mount", "pv1", "f")));
            Assert.Contains("plugin vp:latest is in use", (await Daemon.DockerAsync("plugin", "disable", "vp")).Stderr);
            (await Daemon.DockerAsync("volume", "rm", "pv1")).EnsureSuccess();

            Assert.Equal("vp\n", (await Daemon.DockerAsync("plugin", "disable", "vp")).EnsureSuccess().Stdout);
            Assert.False(File.Exists(Path.Combine(Daemon.ExecRoot, "plugins", id, PluginDirectory.Socket)));
            Assert.Contains("plugin is already disabled: plugin vp:latest found but disabled", (await Daemon.DockerAsync("plugin", "disable", "vp")).Stderr);
            (await Daemon.DockerAsync("plugin", "enable", "vp")).EnsureSuccess();
            Assert.Equal("vp\n", (await Daemon.DockerAsync("plugin", "rm", "-f", "vp")).EnsureSuccess().Stdout);
            Assert.False(Directory.Exists(Path.Combine(Daemon.DataRoot, "plugins", id)));

            var events = (await Daemon.DockerAsync("events", "--since", since.ToString(), "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(),
                "--filter", "type=plugin", "--format", "{{.Action}} {{.Actor.Attributes.name}}")).EnsureSuccess().Stdout;
            Assert.Equal("create vp:latest\nenable vp\ndisable vp\nenable vp\nremove vp\n", events);
        }
        finally
        {
            await Daemon.DockerAsync("volume", "rm", "-f", "pv1");
            await Daemon.DockerAsync("plugin", "rm", "-f", "vp");
        }
    }

    [Fact]
    public async Task A_plugin_tar_with_an_entry_outside_its_root_is_refused()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            byte[] config = """{"Interface":{"Types":["docker.volumedriver/1.0"],"Socket":"x.sock"},"Entrypoint":["/x"]}"""u8.ToArray();
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "config.json") { DataStream = new MemoryStream(config) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "rootfs/"));
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "rootfs/../../../../escaped") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }
        using var content = new ByteArrayContent(tar.ToArray());
        using var response = await Daemon.Http.PostAsync("/v1.41/plugins/create?name=escape", content);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("is outside of", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain("escape", (await Daemon.DockerAsync("plugin", "ls")).Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Daemon.DataRoot, "plugins", "tmp")));
    }

    [Fact]
    public async Task Names_are_image_references_and_the_api_keeps_dockerds_codes()
    {
        using var canonical = await Daemon.Http.PostAsync("/v1.41/plugins/create?name=x@sha256:" + new string('a', 64), new ByteArrayContent([]));
        Assert.Equal(500, (int)canonical.StatusCode);
        Assert.Contains("canonical references are not permitted", await canonical.Content.ReadAsStringAsync());
        using var enable = await Daemon.Http.PostAsync("/v1.41/plugins/x/enable", null);
        Assert.Equal(500, (int)enable.StatusCode);
        Assert.Equal("strconv.Atoi: parsing \"\": invalid syntax",
            JsonDocument.Parse(await enable.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        using var set = await Daemon.Http.PostAsync("/v1.41/plugins/x/set", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(404, (int)set.StatusCode);
        using var inspect = await Daemon.Http.GetAsync("/v1.41/plugins/vieux/sshfs:latest/json");
        Assert.Contains("plugin \\\"vieux/sshfs:latest\\\" not found", (await inspect.Content.ReadAsStringAsync()).Replace("\\u0022", "\\\""));
        foreach (var cli in new Func<string[], Task<CommandResult>>[] { Daemon.DockerAsync, Daemon.BerthAsync })
        {
            Assert.Contains("Invalid filter 'color'", (await cli(["plugin", "ls", "--filter", "color=red"])).Stderr);
            Assert.Contains("Invalid filter 'enabled=[maybe]'", (await cli(["plugin", "ls", "--filter", "enabled=maybe"])).Stderr);
            foreach (var command in new[] { "rm", "enable", "disable" })
                Assert.Contains("Error response from daemon: plugin \"nosuch\" not found", (await cli(["plugin", command, "nosuch"])).Stderr);
            Assert.Contains("Error response from daemon: error resolving plugin reference: ",
                (await cli(["plugin", "install", "--grant-all-permissions", "localhost:1/nosuch"])).Stderr);
        }
    }
}
