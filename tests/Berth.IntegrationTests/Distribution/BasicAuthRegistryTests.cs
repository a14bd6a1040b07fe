using Berth.Engine.Distribution.Auth;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>docker-registry 2.8.2 behind htpasswd: login, and push/pull with right, wrong and missing credentials.</summary>
public sealed class BasicAuthRegistryTests : IAsyncLifetime
{
    private DockerRegistry _registry = null!;
    private static readonly RegistryCredentials Right = new("berth", "p4ss:word");
    private static readonly RegistryCredentials Wrong = new("berth", "nope");

    public async Task InitializeAsync() => _registry = await DockerRegistry.StartAsync("berth", "p4ss:word");

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Login_succeeds_only_with_the_right_password()
    {
        using var client = new ClientWorkspace();
        var ok = await client.Client.LoginAsync(_registry.Host, "berth", "p4ss:word", CancellationToken.None);
        Assert.Equal("Login Succeeded", ok.Status);
        Assert.Null(ok.IdentityToken);

        var wrong = await Assert.ThrowsAsync<BerthException>(() => client.Client.LoginAsync("http://" + _registry.Host + "/v2/", "berth", "nope", CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, wrong.Kind);
        Assert.Contains("401 Unauthorized", wrong.Message);
    }

    [Fact]
    public async Task Push_and_pull_need_the_right_credentials()
    {
        var reference = ImageReference.Parse($"{_registry.Host}/private/app:1");
        var image = TestImage.Create(TestImage.RandomLayer("secret", 5_000, seed: 11));
        using var client = new ClientWorkspace();
        var push = await image.StoreAsync(client.Content);

        var anonymous = await Assert.ThrowsAsync<BerthException>(() => client.Client.PushAsync(reference, push, client.Content, RegistryCredentials.Anonymous, null, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, anonymous.Kind);
        var wrong = await Assert.ThrowsAsync<BerthException>(() => client.Client.PushAsync(reference, push, client.Content, Wrong, null, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, wrong.Kind);
        Assert.Contains("unauthorized", wrong.Message);

        var pushed = await client.Client.PushAsync(reference, push, client.Content, Right, null, CancellationToken.None);

        using var puller = new ClientWorkspace();
        await Assert.ThrowsAsync<BerthException>(() => puller.Client.PullAsync(reference, puller.Target, RegistryCredentials.Anonymous, null, CancellationToken.None));
        await Assert.ThrowsAsync<BerthException>(() => puller.Client.PullAsync(reference, puller.Target, Wrong, null, CancellationToken.None));
        Assert.Empty(puller.Target.Images);
        var pulled = await puller.Client.PullAsync(reference, puller.Target, Right, null, CancellationToken.None);
        Assert.Equal(pushed.Digest, pulled.ManifestDigest.ToString());
    }
}
