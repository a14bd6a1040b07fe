using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Auth;

public sealed class HtpasswdAuthFixture : IAsyncLifetime
{
    public BerthRegistryProcess Registry => _registry;
    public string Work => _work;

    private BerthRegistryProcess _registry = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _work = RepoPaths.NewTempDirectory("htpasswd");
        string htpasswd = Path.Combine(_work, "htpasswd");
        File.WriteAllText(htpasswd, $"alice:{BCrypt.Net.BCrypt.HashPassword("wonderland", 5).Replace("$2a$", "$2y$")}\n");
        _registry = await BerthRegistryProcess.StartAsync(extraArgs: ["--auth.htpasswd.path", htpasswd, "--auth.htpasswd.realm", "test realm"]);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}

public sealed class HtpasswdAuthTests(HtpasswdAuthFixture fixture) : IClassFixture<HtpasswdAuthFixture>
{
    [Fact]
    public async Task Requests_without_or_with_wrong_credentials_get_a_basic_challenge()
    {
        using var http = new RegistryHttp(fixture.Registry.BaseUri);
        using var anonymous = await http.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"test realm\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("UNAUTHORIZED", await RegistryHttp.ErrorCodeAsync(anonymous));

        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wrong")));
        using var wrong = await http.SendAsync(HttpMethod.Get, "/v2/_catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        http.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonderland")));
        using var right = await http.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Skopeo_with_creds_pushes_and_pulls()
    {
        var image = OciLayout.Create(Path.Combine(fixture.Work, "img"), [5000], seed: 1);
        string target = $"docker://{fixture.Registry.HostPort}/private/app:v1";
        var denied = await Tool.Skopeo("copy", "--dest-tls-verify=false", image.SkopeoReference, target);
        Assert.NotEqual(0, denied.ExitCode);
        (await Tool.Skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonderland", image.SkopeoReference, target)).EnsureSuccess("skopeo copy with creds");
        var inspect = (await Tool.Skopeo("inspect", "--tls-verify=false", "--creds", "alice:wonderland", "--raw", target)).EnsureSuccess("skopeo inspect with creds");
        Assert.Equal(image.Manifest, Encoding.UTF8.GetBytes(inspect.Stdout));
        Assert.NotEqual(0, (await Tool.Skopeo("inspect", "--tls-verify=false", "--creds", "alice:nope", target)).ExitCode);
    }
}
