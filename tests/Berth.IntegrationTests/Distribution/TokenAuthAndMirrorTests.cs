using System.Text;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>The bearer-token flow against a fake registry with its own token endpoint, and Docker Hub mirrors.</summary>
public sealed class TokenAuthAndMirrorTests : IAsyncLifetime
{
    private readonly FakeRegistry _registry = new();
    private int _tokensIssued;

    public Task InitializeAsync()
    {
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:right"));
        _registry.Intercept = request =>
        {
            if (request.Path == "/token")
            {
                if (request.Header("authorization") != "Basic " + basic)
                    return FakeResponse.Json(401, "{\"details\":\"incorrect username or password\"}");
                Interlocked.Increment(ref _tokensIssued);
                Assert.Equal("fake-registry", request.QueryValue("service"));
                return FakeResponse.Json(200, $"{{\"token\":\"tok-{request.QueryValue("scope")}\",\"expires_in\":300}}");
            }
            if (!request.Path.StartsWith("/v2/", StringComparison.Ordinal)) return null;
            string? scope = request.Path == "/v2/" ? null : "repository:secure/app:pull";
            string expected = "Bearer tok-" + (scope ?? "");
            if (request.Header("authorization") is { } auth && (auth == expected || (request.Path == "/v2/" && auth.StartsWith("Bearer tok-", StringComparison.Ordinal))))
                return null;
            string challenge = $"Bearer realm=\"http://{_registry.Host}/token\",service=\"fake-registry\"" + (scope is null ? "" : $",scope=\"{scope}\"");
            return FakeResponse.Json(401, FakeRegistry.ErrorJson("UNAUTHORIZED", "authentication required"), ("WWW-Authenticate", challenge));
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Tokens_are_fetched_with_scopes_and_reused()
    {
        var image = TestImage.Create(TestImage.RandomLayer("a", 3_000, seed: 51), TestImage.RandomLayer("b", 3_000, seed: 52));
        _registry.Add("secure/app", "1", image);
        var reference = ImageReference.Parse($"{_registry.Host}/secure/app:1");
        using var client = new ClientWorkspace();

        var missing = await Assert.ThrowsAsync<BerthException>(() => client.Client.PullAsync(reference, client.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Contains("incorrect username or password", missing.Message);
        var wrong = await Assert.ThrowsAsync<BerthException>(() => client.Client.PullAsync(reference, client.Target, new RegistryCredentials("ann", "wrong"), null, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, wrong.Kind);
        Assert.Contains("unauthorized: incorrect username or password", wrong.Message);
        Assert.Empty(client.Target.Images);

        var right = new RegistryCredentials("ann", "right");
        var pulled = await client.Client.PullAsync(reference, client.Target, right, null, CancellationToken.None);
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.Equal(1, _tokensIssued); // manifest, config and two layers with one token
        var tokenRequest = _registry.Requests.Last(r => r.Path == "/token");
        Assert.Equal("repository:secure/app:pull", tokenRequest.QueryValue("scope"));
        Assert.Equal("ann", tokenRequest.QueryValue("account"));

        var login = await client.Client.LoginAsync(_registry.Host, "ann", "right", CancellationToken.None);
        Assert.Equal("Login Succeeded", login.Status);
        await Assert.ThrowsAsync<BerthException>(() => client.Client.LoginAsync(_registry.Host, "ann", "wrong", CancellationToken.None));
    }

    [Fact]
    public async Task Docker_Hub_pulls_try_mirrors_in_order_and_fall_back()
    {
        var image = TestImage.Create(TestImage.RandomLayer("busybox", 2_000, seed: 53));
        await using var lacking = new FakeRegistry();
        await using var having = new FakeRegistry();
        having.Add("library/busybox", "latest", image);
        using var client = new ClientWorkspace(new RegistryOptions { CertificateDirectories = [], Mirrors = [$"http://{lacking.Host}", $"http://{having.Host}"] });
        var log = new ProgressLog();
        var pulled = await client.Client.PullAsync(ImageReference.Parse("busybox"), client.Target, RegistryCredentials.Anonymous, log, CancellationToken.None);
        Assert.Equal(image.Id, pulled.ImageId);
        Assert.Equal(1, lacking.CountRequests("GET", "/v2/library/busybox/manifests/latest"));
        Assert.Equal(image.Id, client.Target.References["docker.io/library/busybox:latest"]);
        Assert.Equal("Status: Downloaded newer image for busybox:latest", log.Lines[^1]);
        Assert.Equal("latest: Pulling from library/busybox", log.Lines[0]);

        // Mirrors are for Docker Hub images only.
        var other = await Assert.ThrowsAsync<BerthException>(() => client.Client.PullAsync(ImageReference.Parse($"{_registry.Host}/nothing/here:1"), client.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Equal(0, having.CountRequests("GET", "/v2/nothing"));
        Assert.Equal(ErrorKind.Unauthorized, other.Kind);
    }
}
