using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Auth;

/// <summary>Bearer tokens as Docker Hub does them: challenge, token endpoint, scoped JWTs; driven by HttpClient and skopeo.</summary>
public sealed class TokenAuthFixture : IAsyncLifetime
{
    public BerthRegistryProcess Registry => _registry;
    public string Work => _work;

    private BerthRegistryProcess _registry = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _work = RepoPaths.NewTempDirectory("token");
        string users = Path.Combine(_work, "users");
        File.WriteAllText(users, Users("carol-pw"));
        string config = Path.Combine(_work, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            auth:
              token:
                service: test-registry
                issuer: test-issuer
                users: {users}
                expiration: 5m
                access:
                  - account: alice
                    name: "alice/*"
                    actions: [pull, push, delete]
                  - account: "*"
                    name: "*"
                    actions: [pull]
                  - account: alice
                    name: "registry:catalog"
                    actions: ["*"]
            """);
        _registry = await BerthRegistryProcess.StartAsync(extraArgs: ["--config", config]);
    }

    /// <summary>The users file; carol's password is the one a test may change.</summary>
    public static string Users(string carolPassword) =>
        $"alice:{BCrypt.Net.BCrypt.HashPassword("alice-pw", 5)}\nbob:{BCrypt.Net.BCrypt.HashPassword("bob-pw", 5)}\ncarol:{BCrypt.Net.BCrypt.HashPassword(carolPassword, 5)}\n";

    public string UsersPath => Path.Combine(_work, "users");

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}

public sealed class TokenAuthTests(TokenAuthFixture fixture) : IClassFixture<TokenAuthFixture>
{
    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<(HttpStatusCode Status, string? Token, JsonElement? Access)> TokenAsync(string? user, string? password, string scope)
    {
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        if (user is not null) http.Client.DefaultRequestHeaders.Authorization = Basic(user, password!);
        using var response = await http.SendAsync(HttpMethod.Get, $"/token?service=test-registry&scope={Uri.EscapeDataString(scope)}");
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null, null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string token = json.RootElement.GetProperty("token").GetString()!;
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]));
        return (response.StatusCode, token, payload.RootElement.GetProperty("access").Clone());
    }

    [Fact]
    public async Task Unauthenticated_requests_get_a_bearer_challenge_with_the_scope()
    {
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        using var root = await http.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, root.StatusCode);
        Assert.Equal($"Bearer realm=\"{fixture.Registry.BaseUri}token\",service=\"test-registry\"", root.Headers.WwwAuthenticate.ToString());

        using var tags = await http.SendAsync(HttpMethod.Get, "/v2/alice/app/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, tags.StatusCode);
        Assert.Contains("scope=\"repository:alice/app:pull\"", tags.Headers.WwwAuthenticate.ToString());
        Assert.Equal("UNAUTHORIZED", await RegistryHttp.ErrorCodeAsync(tags));
    }

    [Fact]
    public async Task Token_endpoint_grants_what_the_rules_allow()
    {
        var alice = await TokenAsync("alice", "alice-pw", "repository:alice/app:pull,push");
        Assert.Equal(["pull", "push"], alice.Access!.Value[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        var bob = await TokenAsync("bob", "bob-pw", "repository:alice/app:pull,push");
        Assert.Equal(["pull"], bob.Access!.Value[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        var anonymous = await TokenAsync(null, null, "repository:alice/app:pull");
        Assert.Empty(anonymous.Access!.Value[0].GetProperty("actions").EnumerateArray());
        var wrong = await TokenAsync("alice", "nope", "repository:alice/app:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);

        // Bob's pull-only token opens a pull but not a push; a forged token opens nothing.
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bob.Token);
        using var pull = await http.SendAsync(HttpMethod.Get, "/v2/alice/app/tags/list");
        Assert.True(pull.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"pull answered {pull.StatusCode}");
        using var push = await http.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", push.Headers.WwwAuthenticate.ToString());

        string[] parts = alice.Token!.Split('.');
        string forged = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"iss\":\"test-issuer\",\"aud\":\"test-registry\",\"exp\":9999999999,\"access\":[{\"type\":\"repository\",\"name\":\"alice/app\",\"actions\":[\"push\",\"pull\"]}]}")) + "." + parts[2];
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        using var forgedPush = await http.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Unauthorized, forgedPush.StatusCode);
        Assert.Contains("invalid_token", forgedPush.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Skopeo_does_the_token_dance_with_creds()
    {
        var image = OciLayout.Create(Path.Combine(fixture.Work, "img"), [4000], seed: 1);
        string target = $"docker://{fixture.Registry.HostPort}/alice/app:v1";
        (await Tool.Skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw", image.SkopeoReference, target)).EnsureSuccess("alice pushes");
        var bobPush = await Tool.Skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", image.SkopeoReference, $"docker://{fixture.Registry.HostPort}/alice/other:v1");
        Assert.NotEqual(0, bobPush.ExitCode);
        var bobPull = (await Tool.Skopeo("inspect", "--tls-verify=false", "--creds", "bob:bob-pw", "--raw", target)).EnsureSuccess("bob pulls");
        Assert.Equal(image.Manifest, Encoding.UTF8.GetBytes(bobPull.Stdout));
        Assert.NotEqual(0, (await Tool.Skopeo("inspect", "--tls-verify=false", "--no-creds", target)).ExitCode);
        (await Tool.Skopeo("delete", "--tls-verify=false", "--creds", "alice:alice-pw", target)).EnsureSuccess("alice deletes");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> OAuthAsync(params (string Key, string Value)[] form)
    {
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        using var response = await http.SendAsync(HttpMethod.Post, "/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static string[] Actions(string token)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]));
        var access = payload.RootElement.GetProperty("access");
        return access.GetArrayLength() == 0 ? [] : access[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToArray();
    }

    [Fact]
    public async Task Offline_token_requests_get_a_refresh_token_that_buys_access_tokens_over_oauth2()
    {
        // GET with offline_token=true (what docker login asks): a refresh token for a signed-in user, none for anonymous.
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        http.Client.DefaultRequestHeaders.Authorization = Basic("alice", "alice-pw");
        using var login = await http.SendAsync(HttpMethod.Get, "/token?service=test-registry&client_id=docker&offline_token=true");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var loginJson = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        string refresh = loginJson.RootElement.GetProperty("refresh_token").GetString()!;
        using var anonymous = await new RegistryHttp(fixture.Registry.BaseUri).SendAsync(HttpMethod.Get, "/token?service=test-registry&offline_token=true");
        Assert.DoesNotContain("refresh_token", await anonymous.Content.ReadAsStringAsync());

        // POST grant_type=refresh_token (what docker pull/push do with a stored identity token).
        var viaRefresh = await OAuthAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("service", "test-registry"),
            ("client_id", "docker"), ("scope", "repository:alice/app:pull,push repository:other/app:push"));
        Assert.Equal(HttpStatusCode.OK, viaRefresh.Status);
        string access = viaRefresh.Body.GetProperty("access_token").GetString()!;
        Assert.Equal(["pull", "push"], Actions(access));
        Assert.Equal("repository:alice/app:pull,push", viaRefresh.Body.GetProperty("scope").GetString());
        Assert.False(viaRefresh.Body.TryGetProperty("refresh_token", out _)); // only with access_type=offline
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        using (var push = await http.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/"))
            Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);

        // A refresh token is not an access token.
        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refresh);
        using (var misuse = await http.SendAsync(HttpMethod.Get, "/v2/alice/app/tags/list"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, misuse.StatusCode);
            Assert.Contains("invalid_token", misuse.Headers.WwwAuthenticate.ToString());
        }

        // POST grant_type=password with access_type=offline: an access token and a refresh token.
        var viaPassword = await OAuthAsync(("grant_type", "password"), ("username", "bob"), ("password", "bob-pw"), ("service", "test-registry"),
            ("client_id", "docker"), ("access_type", "offline"), ("scope", "repository:alice/app:pull,push"));
        Assert.Equal(HttpStatusCode.OK, viaPassword.Status);
        Assert.Equal(["pull"], Actions(viaPassword.Body.GetProperty("access_token").GetString()!));
        Assert.StartsWith("ey", viaPassword.Body.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Oauth2_token_requests_that_are_wrong_get_rfc_6749_errors()
    {
        async Task Refused(string error, params (string, string)[] form)
        {
            var answer = await OAuthAsync(form);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(error, answer.Body.GetProperty("error").GetString());
        }
        await Refused("invalid_request", ("grant_type", "password"), ("username", "alice"), ("password", "alice-pw"), ("service", "test-registry")); // no client_id
        await Refused("invalid_request", ("grant_type", "refresh_token"), ("service", "test-registry"), ("client_id", "docker"));
        await Refused("unsupported_grant_type", ("grant_type", "authorization_code"), ("service", "test-registry"), ("client_id", "docker"));
        await Refused("invalid_grant", ("grant_type", "password"), ("username", "alice"), ("password", "nope"), ("service", "test-registry"), ("client_id", "docker"));
        await Refused("invalid_grant", ("grant_type", "refresh_token"), ("refresh_token", "not.a.token"), ("service", "test-registry"), ("client_id", "docker"));

        // An access token is not a refresh token, and a changed password ends the refresh tokens issued before it.
        var (_, access, _) = await TokenAsync("carol", "carol-pw", "repository:carol/app:pull");
        await Refused("invalid_grant", ("grant_type", "refresh_token"), ("refresh_token", access!), ("service", "test-registry"), ("client_id", "docker"));
        var carol = await OAuthAsync(("grant_type", "password"), ("username", "carol"), ("password", "carol-pw"), ("service", "test-registry"), ("client_id", "docker"), ("access_type", "offline"));
        string refresh = carol.Body.GetProperty("refresh_token").GetString()!;
        var before = await OAuthAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("service", "test-registry"), ("client_id", "docker"));
        Assert.Equal(HttpStatusCode.OK, before.Status);
        File.WriteAllText(fixture.UsersPath, TokenAuthFixture.Users("carol-new-pw"));
        File.SetLastWriteTimeUtc(fixture.UsersPath, DateTime.UtcNow.AddSeconds(1));
        await Refused("invalid_grant", ("grant_type", "refresh_token"), ("refresh_token", refresh), ("service", "test-registry"), ("client_id", "docker"));
    }
}
