using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// Managed plugins to and from a registry (berth-registry on loopback) through the real docker CLI and berth's:
/// privileges, install (pull, set, enable), push, upgrade, and dockerd 20.10's answers when something is wrong.
/// </summary>
public sealed class PluginDistributionTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string Privileges =
        """[{"Name":"network","Description":"permissions to access a network","Value":["none"]},""" +
        """{"Name":"capabilities","Description":"list of additional capabilities required","Value":["CAP_SYS_ADMIN"]}]""";

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_created_plugin_pushes_then_installs_enables_and_serves_volumes()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string remote = $"{registry.Host}/berth/tp";
        string dir = await PluginDirectory.CreateAsync(Daemon.Root);
        (await Daemon.DockerAsync("plugin", "create", remote, dir)).EnsureSuccess();
        string id = (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", remote)).EnsureSuccess().Stdout.Trim();

        var push = (await Daemon.DockerAsync("plugin", "push", remote)).EnsureSuccess();
        Assert.StartsWith($"The push refers to repository [{remote}]\n", push.Stdout);
        Assert.Equal(3, push.Stdout.Split('\n').Count(line => line.EndsWith(": Upload complete", StringComparison.Ordinal)));
        string digest = await ManifestDigestAsync(registry, "berth/tp", "latest");
        // Pushed again, by berth's CLI: the same blobs, so the same manifest; the plugin itself is unchanged.
        (await Daemon.BerthAsync("plugin", "push", remote)).EnsureSuccess();
        Assert.Equal(digest, await ManifestDigestAsync(registry, "berth/tp", "latest"));
        Assert.Equal(id + "\n", (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", remote)).EnsureSuccess().Stdout);
        (await Daemon.DockerAsync("plugin", "rm", remote)).EnsureSuccess();

        using (var privileges = await Daemon.Http.GetAsync($"/v1.41/plugins/privileges?remote={remote}"))
            Assert.Equal(Privileges + "\n", await privileges.Content.ReadAsStringAsync());

        var install = (await Daemon.DockerAsync("plugin", "install", "--grant-all-permissions", remote, "DEBUG=1")).EnsureSuccess();
        Assert.StartsWith($"latest: Pulling from {remote}\nDigest: {digest}\n", install.Stdout);
        Assert.EndsWith($": Complete\nInstalled plugin {remote}\n", install.Stdout);
        try
        {
            var plugin = JsonNode.Parse((await Daemon.DockerAsync("plugin", "inspect", remote)).EnsureSuccess().Stdout)![0]!;
            string installedId = plugin["Id"]!.GetValue<string>();
            Assert.NotEqual(id, installedId);
            Assert.True(plugin["Enabled"]!.GetValue<bool>());
            Assert.Equal(remote + ":latest", plugin["Name"]!.GetValue<string>());
            Assert.Equal(remote + ":latest", plugin["PluginReference"]!.GetValue<string>());
            Assert.Equal("""["DEBUG=1","FIXED=x"]""", plugin["Settings"]!["Env"]!.ToJsonString());
            Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(Path.Combine(Daemon.ExecRoot, "plugins", installedId, PluginDirectory.Socket)));
            (await Daemon.DockerAsync("volume", "create", "-d", remote, "dv1")).EnsureSuccess();
            (await Daemon.DockerAsync("run", "--rm", "-v", "dv1:/x", "busybox", "sh", "-c", "echo hi > /x/f")).EnsureSuccess();
            (await Daemon.DockerAsync("volume", "rm", "dv1")).EnsureSuccess();

            // An installed plugin pushed elsewhere goes up as it came down.
            string copy = $"{registry.Host}/berth/copy:1";
            (await Daemon.DockerAsync("plugin", "disable", remote)).EnsureSuccess();
            (await Daemon.DockerAsync("plugin", "set", remote, "DEBUG=2")).EnsureSuccess();
            using (var tagged = await Daemon.Http.PostAsync($"/v1.41/plugins/pull?remote={remote}&name={copy}", Json(Privileges)))
                Assert.Contains("\"status\":\"Complete\"", await tagged.Content.ReadAsStringAsync());
            (await Daemon.DockerAsync("plugin", "push", copy)).EnsureSuccess();
            Assert.Equal(digest, await ManifestDigestAsync(registry, "berth/copy", "1"));
            (await Daemon.DockerAsync("plugin", "rm", copy)).EnsureSuccess();
        }
        finally
        {
            await Daemon.DockerAsync("volume", "rm", "-f", "dv1");
            await Daemon.DockerAsync("plugin", "rm", "-f", remote);
        }
    }

    [Fact]
    public async Task Install_and_push_errors_answer_as_dockerd()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string remote = $"{registry.Host}/berth/err";
        string dir = await PluginDirectory.CreateAsync(Daemon.Root);
        (await Daemon.DockerAsync("plugin", "create", remote, dir)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("plugin", "push", remote)).EnsureSuccess();

            using (var taken = await Daemon.Http.PostAsync($"/v1.41/plugins/pull?remote={remote}", Json(Privileges)))
            {
                Assert.Equal(400, (int)taken.StatusCode);
                Assert.Equal(remote + ":latest", taken.Headers.GetValues("Docker-Plugin-Name").Single());
                Assert.Equal($"plugin {remote}:latest already exists", await MessageAsync(taken));
            }
            using (var noBody = await Daemon.Http.PostAsync($"/v1.41/plugins/pull?remote={remote}&name=other", null))
            {
                Assert.Equal(500, (int)noBody.StatusCode);
                Assert.Equal("failed to parse privileges: EOF", await MessageAsync(noBody));
            }
            using (var unknown = await Daemon.Http.PostAsync($"/v1.41/plugins/pull?remote={registry.Host}/berth/nope&name=other", Json(Privileges)))
            {
                Assert.Equal(404, (int)unknown.StatusCode);
                Assert.Equal($"error resolving plugin reference: {registry.Host}/berth/nope:latest: not found", await MessageAsync(unknown));
            }
            using (var unknownPrivileges = await Daemon.Http.GetAsync($"/v1.41/plugins/privileges?remote={registry.Host}/berth/nope"))
                Assert.Equal("[]\n", await unknownPrivileges.Content.ReadAsStringAsync());

            // Privileges other than the plugin's: the stream ends in dockerd's error and no plugin is made.
            using (var wrong = await Daemon.Http.PostAsync($"/v1.41/plugins/pull?remote={remote}&name=other", Json("[]")))
            {
                Assert.Equal(200, (int)wrong.StatusCode);
                Assert.EndsWith("""{"errorDetail":{"message":"incorrect privileges"},"error":"incorrect privileges"}""", (await wrong.Content.ReadAsStringAsync()).TrimEnd());
            }
            Assert.DoesNotContain("other", (await Daemon.DockerAsync("plugin", "ls")).Stdout);

            var refused = await Daemon.DockerWithInputAsync("n\n", "plugin", "install", "--alias", "other", remote);
            Assert.Contains($"Plugin \"{remote}\" is requesting the following privileges:\n - network: [none]\n - capabilities: [CAP_SYS_ADMIN]\nDo you grant the above permissions? [y/N] ", refused.Stdout);
            Assert.Contains($"permission denied while installing plugin {remote}", refused.Stderr);

            using var missing = await Daemon.Http.PostAsync("/v1.41/plugins/nope/push", null);
            Assert.Equal(404, (int)missing.StatusCode);
            Assert.Equal("plugin \"nope:latest\" not found", await MessageAsync(missing));
        }
        finally
        {
            await Daemon.DockerAsync("plugin", "rm", "-f", remote);
            await Daemon.DockerAsync("plugin", "rm", "-f", "other");
        }
    }

    [Fact]
    public async Task Upgrade_replaces_rootfs_and_config_and_keeps_id_and_settings()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string repository = $"{registry.Host}/berth/up";
        foreach (string version in new[] { "1", "2" })
        {
            string dir = await PluginDirectory.CreateAsync(Daemon.Root, new JsonObject { ["Description"] = "version " + version });
            (await Daemon.DockerAsync("plugin", "create", $"{repository}:{version}", dir)).EnsureSuccess();
            (await Daemon.DockerAsync("plugin", "push", $"{repository}:{version}")).EnsureSuccess();
            (await Daemon.DockerAsync("plugin", "rm", $"{repository}:{version}")).EnsureSuccess();
        }
        try
        {
            // berth's CLI installs as docker's does.
            var install = (await Daemon.BerthAsync("plugin", "install", "--grant-all-permissions", "--alias", "up", $"{repository}:1", "DEBUG=5")).EnsureSuccess();
            Assert.EndsWith($"Installed plugin {repository}:1\n", install.Stdout);
            string id = (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Id}}", "up")).EnsureSuccess().Stdout.Trim();

            using (var enabled = await Daemon.Http.PostAsync($"/v1.41/plugins/up/upgrade?remote={repository}:2", Json(Privileges)))
            {
                Assert.Equal(409, (int)enabled.StatusCode);
                Assert.Equal("plugin must be disabled before upgrading: plugin up:latest is enabled", await MessageAsync(enabled));
            }
            Assert.Contains("the plugin must be disabled before upgrading", (await Daemon.DockerAsync("plugin", "upgrade", "up", $"{repository}:2")).Stderr);
            (await Daemon.DockerAsync("plugin", "disable", "up")).EnsureSuccess();

            var upgrade = (await Daemon.DockerAsync("plugin", "upgrade", "--grant-all-permissions", "--skip-remote-check", "up", $"{repository}:2")).EnsureSuccess();
            Assert.StartsWith($"Upgrading plugin up:latest from {repository}:1 to {repository}:2\n", upgrade.Stdout);
            Assert.EndsWith($"Upgraded plugin up:latest to {repository}:2\n", upgrade.Stdout);
            var plugin = JsonNode.Parse((await Daemon.DockerAsync("plugin", "inspect", "up")).EnsureSuccess().Stdout)![0]!;
            Assert.Equal(id, plugin["Id"]!.GetValue<string>());
            Assert.Equal("version 2", plugin["Config"]!["Description"]!.GetValue<string>());
            Assert.Equal($"{repository}:2", plugin["PluginReference"]!.GetValue<string>());
            Assert.Equal("""["DEBUG=5","FIXED=x"]""", plugin["Settings"]!["Env"]!.ToJsonString());

            // berth's CLI upgrades back; another remote than the plugin's asks first, as docker's does.
            var declined = (await Daemon.BerthWithInputAsync("n\n", "plugin", "upgrade", "--grant-all-permissions", "up", $"{repository}:1")).EnsureSuccess();
            Assert.EndsWith("Plugin images do not match, are you sure? [y/N] ", declined.Stdout);
            Assert.Equal("version 2\n", (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Config.Description}}", "up")).EnsureSuccess().Stdout);
            (await Daemon.BerthWithInputAsync("y\n", "plugin", "upgrade", "--grant-all-permissions", "up", $"{repository}:1")).EnsureSuccess();
            Assert.Equal("version 1\n", (await Daemon.DockerAsync("plugin", "inspect", "-f", "{{.Config.Description}}", "up")).EnsureSuccess().Stdout);
            await PluginDirectory.EnableAsync(Daemon, "up");
            Assert.Contains("VolumeDriver", await PluginDirectory.ActivateAsync(Path.Combine(Daemon.ExecRoot, "plugins", id, PluginDirectory.Socket)));
        }
        finally
        {
            await Daemon.DockerAsync("plugin", "rm", "-f", "up");
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;

    private static async Task<string> ManifestDigestAsync(BerthRegistry registry, string repository, string tag)
    {
        using var http = new HttpClient { BaseAddress = registry.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }
}
