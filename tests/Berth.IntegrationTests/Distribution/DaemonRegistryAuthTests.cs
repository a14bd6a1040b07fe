using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>
/// Logins and token auth through berthd: berth-registry with Docker Hub's token flow, the docker CLI and the berth CLI
/// each keeping credentials in config.json under the test's DOCKER_CONFIG.
/// </summary>
public sealed class DaemonRegistryAuthTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Token_auth_refuses_missing_and_wrong_credentials_and_accepts_the_right_ones()
    {
        await using var registry = await BerthRegistry.StartWithTokenAuthAsync("ann", "right");
        string name = $"{registry.Host}/ann/app:1";
        (await Daemon.DockerAsync("tag", "busybox", name)).EnsureSuccess();

        var anonymous = await Daemon.DockerAsync("push", name);
        Assert.NotEqual(0, anonymous.ExitCode);

        using (var wrong = await Daemon.Http.PostAsync("/auth", Body(registry.Host, "ann", "wrong")))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var wrongLogin = await Daemon.DockerAsync("login", "-u", "ann", "-p", "wrong", registry.Host);
        Assert.Equal(1, wrongLogin.ExitCode);
        Assert.Contains("Error response from daemon", wrongLogin.Stderr);

        using (var right = await Daemon.Http.PostAsync("/auth", Body(registry.Host, "ann", "right")))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            Assert.Equal("Login Succeeded", (string?)JsonNode.Parse(await right.Content.ReadAsStringAsync())!["Status"]);
        }
        var login = (await Daemon.DockerWithInputAsync("right\n", "login", "-u", "ann", "--password-stdin", registry.Host)).EnsureSuccess();
        Assert.Contains("Login Succeeded", login.Stdout);
        string configFile = Path.Combine(Daemon.Env["DOCKER_CONFIG"], "config.json");
        // The token server answered the login with a refresh token: the CLI keeps it as the identity token, not the password.
        var stored = JsonNode.Parse(File.ReadAllText(configFile))!["auths"]![registry.Host]!;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:")), (string?)stored["auth"]);
        Assert.False(string.IsNullOrEmpty((string?)stored["identitytoken"]));

        var push = (await Daemon.DockerAsync("push", name)).EnsureSuccess();
        Assert.Contains("1: digest: sha256:", push.Stdout);
        (await Daemon.DockerAsync("logout", registry.Host)).EnsureSuccess();

        // The berth CLI: no credentials yet in this daemon's config, then its own login, pull and logout.
        await using var fresh = await BerthDaemon.StartAsync(withBusybox: false);
        var denied = await fresh.BerthAsync("pull", name);
        Assert.NotEqual(0, denied.ExitCode);
        var berthLogin = (await fresh.BerthWithInputAsync("right\n", "login", "-u", "ann", "--password-stdin", registry.Host)).EnsureSuccess();
        Assert.Contains("Login Succeeded", berthLogin.Stdout);
        Assert.Contains("WARNING! Your credentials are stored unencrypted", berthLogin.Stderr);
        var pull = (await fresh.BerthAsync("pull", name)).EnsureSuccess();
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.EndsWith(name + "\n", pull.Stdout);
        Assert.Equal("ok", (await fresh.DockerAsync("run", "--rm", name, "echo", "ok")).EnsureSuccess().Stdout.Trim());
        // What berth stored serves the docker CLI too.
        (await fresh.DockerAsync("rmi", name)).EnsureSuccess();
        (await fresh.DockerAsync("pull", name)).EnsureSuccess();
        Assert.Equal($"Removing login credentials for {registry.Host}\n", (await fresh.BerthAsync("logout", registry.Host)).EnsureSuccess().Stdout);
        Assert.Equal($"Not logged in to {registry.Host}\n", (await fresh.BerthAsync("logout", registry.Host)).EnsureSuccess().Stdout);
        (await Daemon.DockerAsync("rmi", name)).EnsureSuccess();
    }

    private static StringContent Body(string server, string user, string password) =>
        new(new JsonObject { ["username"] = user, ["password"] = password, ["serveraddress"] = server }.ToJsonString(), Encoding.UTF8, "application/json");
}
