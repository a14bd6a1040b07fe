using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Plugins;

/// <summary>
/// --authorization-plugin: every request and answer is put to the plugin (the test plugin denies requests holding
/// "forbidden" and answers holding "topsecret"), through the docker CLI, streams and hijacked connections included.
/// </summary>
public sealed class AuthorizationPluginTests : IAsyncLifetime
{
    private const string PluginName = "authz-it";
    private readonly string _dir = "/run/bt-authz-" + Guid.NewGuid().ToString("N")[..8];
    private TestPluginProcess? _plugin;

    private string Socket => Path.Combine(_dir, PluginName + ".sock");
    private string AskedLog => Path.Combine(_dir, "asked.log");

    [Fact]
    public async Task Requests_and_answers_are_authorized_by_the_plugin()
    {
        await StartPluginAsync();
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--plugin-dir", _dir, "--authorization-plugin", PluginName]);

        var denied = await daemon.DockerAsync("run", "--name", "forbidden-one", "busybox", "true");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains($"authorization denied by plugin {PluginName}: forbidden is not allowed", denied.Stderr);
        Assert.DoesNotContain("forbidden-one", (await daemon.DockerAsync("ps", "-a", "--format", "{{.Names}}")).EnsureSuccess().Stdout);

        // The request holding the secret is allowed; an answer showing it is not.
        (await daemon.DockerAsync("create", "--name", "holder", "--network", "none", "-e", "X=topsecret", "busybox", "true")).EnsureSuccess();
        var shown = await daemon.DockerAsync("inspect", "holder");
        Assert.NotEqual(0, shown.ExitCode);
        Assert.Contains($"authorization denied by plugin {PluginName}: the answer holds a secret", shown.Stderr);
        Assert.Equal("holder\n", (await daemon.DockerAsync("ps", "-a", "--format", "{{.Names}}")).EnsureSuccess().Stdout);

        // Hijacked and streamed answers pass through as they are made.
        Assert.Equal("hi\n", (await daemon.DockerAsync("run", "--rm", "--network", "none", "busybox", "echo", "hi")).EnsureSuccess().Stdout);
        Assert.Equal("in\n", (await daemon.DockerWithInputAsync("in\n", "run", "--rm", "-i", "--network", "none", "busybox", "cat")).EnsureSuccess().Stdout);
        Assert.Equal($"[\"{PluginName}\"]", (await daemon.DockerAsync("info", "-f", "{{json .Plugins.Authorization}}")).EnsureSuccess().Stdout.Trim());

        string asked = File.ReadAllText(AskedLog);
        Assert.Matches(@"AuthZPlugin\.AuthZReq POST /v1\.\d+/containers/create\?name=forbidden-one", asked);
        Assert.Matches(@"AuthZPlugin\.AuthZRes GET /v1\.\d+/containers/json", asked);

        // A plugin that cannot be asked lets nothing through.
        await StopPluginAsync();
        var unasked = await daemon.DockerAsync("ps");
        Assert.NotEqual(0, unasked.ExitCode);
        Assert.Contains($"plugin {PluginName} failed with error: AuthZPlugin.AuthZReq", unasked.Stderr);
        await StartPluginAsync(); // for the daemon's own clean-up
    }

    private async Task StartPluginAsync()
    {
        _plugin?.Dispose();
        _plugin = await TestPluginProcess.StartAsync(Socket, "--authz-log", AskedLog);
    }

    private Task StopPluginAsync() => _plugin?.StopAsync() ?? Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopPluginAsync();
        _plugin?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
