using Berth.Engine.Distribution.Auth;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.IntegrationTests.Distribution;

/// <summary>
/// The engine's login against berth-registry's token auth: the token server hands back a refresh token, which becomes
/// the identity token (what docker login stores instead of the password), and pulls and pushes with only that token
/// get their access tokens through the OAuth2 refresh grant.
/// </summary>
public sealed class TokenRefreshTests
{
    [Fact]
    public async Task Login_returns_an_identity_token_that_pulls_and_pushes_without_the_password()
    {
        await using var registry = await BerthRegistry.StartWithTokenAuthAsync("ann", "right");
        using var client = new ClientWorkspace();
        var image = TestImage.Create(TestImage.RandomLayer("a", 5_000, seed: 71));
        var push = await image.StoreAsync(client.Content);

        var login = await client.Client.LoginAsync(registry.Host, "ann", "right", CancellationToken.None);
        Assert.Equal("Login Succeeded", login.Status);
        Assert.False(string.IsNullOrEmpty(login.IdentityToken));

        var identity = new RegistryCredentials("ann", IdentityToken: login.IdentityToken);
        var reference = ImageReference.Parse($"{registry.Host}/ann/app:1");
        await client.Client.PushAsync(reference, push, client.Content, identity, null, CancellationToken.None);
        using var fresh = new ClientWorkspace();
        var pulled = await fresh.Client.PullAsync(reference, fresh.Target, identity, null, CancellationToken.None);
        Assert.Equal(image.Id, pulled.ImageId);

        // A made-up identity token gets nothing, and no image.
        using var other = new ClientWorkspace();
        var error = await Assert.ThrowsAsync<BerthException>(() =>
            other.Client.PullAsync(reference, other.Target, new RegistryCredentials("ann", IdentityToken: "not-a-refresh-token"), null, CancellationToken.None));
        Assert.Contains("invalid_grant", error.Message);
        Assert.Empty(other.Target.Images);
    }
}
