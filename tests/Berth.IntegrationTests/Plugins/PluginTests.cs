using System.Text;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// berthd has no plugins and cannot install any: the plugin commands of both CLIs answer as on a dockerd without
/// plugins (an empty list, not-found for a name), and installing one is refused as not implemented.
/// </summary>
public sealed class PluginTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Plugin_commands_find_no_plugins_and_installing_one_is_not_implemented()
    {
        foreach (var cli in new Func<string[], Task<CommandResult>>[] { Daemon.DockerAsync, Daemon.BerthAsync })
        {
            var list = (await cli(["plugin", "ls"])).EnsureSuccess();
            Assert.Equal("ID        NAME      DESCRIPTION   ENABLED\n", list.Stdout);
            Assert.Contains("Invalid filter 'color'", (await cli(["plugin", "ls", "--filter", "color=red"])).Stderr);
            Assert.Contains("Invalid filter 'enabled=[maybe]'", (await cli(["plugin", "ls", "--filter", "enabled=maybe"])).Stderr);
            Assert.Equal("", (await cli(["plugin", "ls", "-q", "--filter", "capability=volumedriver"])).EnsureSuccess().Stdout);

            var inspect = await cli(["plugin", "inspect", "nosuch"]);
            Assert.Equal(1, inspect.ExitCode);
            Assert.Contains("plugin \"nosuch\" not found", inspect.Stderr);
            foreach (var command in new[] { "rm", "enable", "disable" })
                Assert.Contains("Error response from daemon: plugin \"nosuch\" not found", (await cli(["plugin", command, "nosuch"])).Stderr);
            Assert.Contains("plugin \"nosuch:latest\" not found", (await cli(["plugin", "push", "nosuch"])).Stderr);
            Assert.Contains("installing plugins is not implemented in this version of berthd",
                (await cli(["plugin", "install", "--grant-all-permissions", "localhost:1/nosuch"])).Stderr);
        }
    }

    [Fact]
    public async Task The_plugin_api_answers_as_a_dockerd_without_plugins()
    {
        using var list = await Daemon.Http.GetAsync("/v1.41/plugins");
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.ValueKind);
        Assert.Equal("[]", (await list.Content.ReadAsStringAsync()).Trim());
        using var enable = await Daemon.Http.PostAsync("/v1.41/plugins/x/enable", null);
        Assert.Equal(500, (int)enable.StatusCode);
        Assert.Equal("strconv.Atoi: parsing \"\": invalid syntax",
            JsonDocument.Parse(await enable.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        using var set = await Daemon.Http.PostAsync("/v1.41/plugins/x/set", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(404, (int)set.StatusCode);
        using var create = await Daemon.Http.PostAsync("/v1.41/plugins/create?name=x", new ByteArrayContent([]));
        Assert.Equal(501, (int)create.StatusCode);
    }
}
