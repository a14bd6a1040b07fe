using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Endpoints;

namespace Berth.Tests.Distribution;

public class EndpointResolverTests
{
    private static EndpointResolver Resolver(RegistryOptions? options = null) =>
        new(options ?? new RegistryOptions { CertificateDirectories = [] });

    [Fact]
    public async Task Docker_Hub_is_registry_1_over_https_only()
    {
        var endpoints = await Resolver().ForPullAsync("docker.io", CancellationToken.None);
        var endpoint = Assert.Single(endpoints);
        Assert.Equal(new Uri("https://registry-1.docker.io"), endpoint.BaseUri);
        Assert.False(endpoint.Mirror);
        Assert.False(endpoint.Tls.SkipVerify);
        Assert.Equal("https://registry-1.docker.io/v2/library/busybox/manifests/latest",
            endpoint.Resolve("/v2/library/busybox/manifests/latest").ToString());
    }

    [Fact]
    public async Task Mirrors_come_first_for_Docker_Hub_only()
    {
        var resolver = Resolver(new RegistryOptions { CertificateDirectories = [], Mirrors = ["https://mirror.example:5000", "127.0.0.1:6000"] });
        var hub = await resolver.ForPullAsync("docker.io", CancellationToken.None);
        Assert.Equal(["https://mirror.example:5000/", "https://127.0.0.1:6000/", "https://registry-1.docker.io/"], hub.Select(e => e.BaseUri.ToString()));
        Assert.True(hub[0].Mirror && hub[1].Mirror && !hub[2].Mirror);
        Assert.True(hub[1].Tls.SkipVerify); // a loopback mirror is insecure by default
        var other = await resolver.ForPullAsync("quay.example", CancellationToken.None);
        Assert.Single(other);
        var push = await resolver.ForRegistryAsync("docker.io", CancellationToken.None);
        Assert.DoesNotContain(push, e => e.Mirror);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("127.1.2.3")]
    [InlineData("[::1]:5000")]
    public async Task Loopback_is_insecure_by_default(string domain)
    {
        var endpoints = await Resolver().ForRegistryAsync(domain, CancellationToken.None);
        Assert.Equal(2, endpoints.Count);
        Assert.Equal("https", endpoints[0].BaseUri.Scheme);
        Assert.True(endpoints[0].Tls.SkipVerify);
        Assert.Equal("http", endpoints[1].BaseUri.Scheme);
    }

    [Fact]
    public async Task Other_registries_are_secure_unless_listed()
    {
        Assert.Single(await Resolver().ForRegistryAsync("10.1.2.3:5000", CancellationToken.None));
        var resolver = Resolver(new RegistryOptions { CertificateDirectories = [], InsecureRegistries = ["10.1.2.3:5000", "192.168.0.0/16", "myreg.local"] });
        Assert.Equal(2, (await resolver.ForRegistryAsync("10.1.2.3:5000", CancellationToken.None)).Count);
        Assert.Equal(2, (await resolver.ForRegistryAsync("192.168.7.7:443", CancellationToken.None)).Count);
        Assert.Equal(2, (await resolver.ForRegistryAsync("myreg.local:5000", CancellationToken.None)).Count);
        Assert.Single(await resolver.ForRegistryAsync("10.1.2.3:5001", CancellationToken.None));
    }

    [Fact]
    public async Task The_endpoint_that_worked_is_tried_first()
    {
        var resolver = Resolver();
        var endpoints = await resolver.ForRegistryAsync("127.0.0.1:5000", CancellationToken.None);
        resolver.MarkWorking(endpoints[1]);
        var again = await resolver.ForRegistryAsync("127.0.0.1:5000", CancellationToken.None);
        Assert.Equal("http", again[0].BaseUri.Scheme);
    }

    [Fact]
    public void Insecure_registry_entries_with_a_scheme_are_refused() =>
        Assert.Throws<Berth.Oci.Errors.BerthException>(() => Resolver(new RegistryOptions { InsecureRegistries = ["http://x:5000"] }));

    [Theory]
    [InlineData("", true)]
    [InlineData("https://index.docker.io/v1/", true)]
    [InlineData("docker.io", true)]
    [InlineData("registry-1.docker.io", true)]
    [InlineData("localhost:5000", false)]
    [InlineData("http://127.0.0.1:5000/v2/", false)]
    public void Login_addresses(string address, bool hub)
    {
        Assert.Equal(hub, DockerHub.IsHub(address));
        if (!hub) Assert.Equal(address.Contains("127.0.0.1") ? "127.0.0.1:5000" : "localhost:5000", RegistryAddress.DomainOf(address));
        else Assert.Equal("docker.io", RegistryAddress.DomainOf(address));
    }
}
