using Berth.Client.Hosts;
using Berth.Client.Http;

namespace Berth.Tests.Client;

public sealed class DaemonHostTests
{
    [Theory]
    [InlineData("unix:///tmp/x.sock", "unix:///tmp/x.sock")]
    [InlineData("unix://", "unix:///run/berth/berth.sock")]
    [InlineData("tcp://10.0.0.1:2376", "tcp://10.0.0.1:2376")]
    [InlineData("tcp://example.com", "tcp://example.com:2375")]
    [InlineData("127.0.0.1:1234", "tcp://127.0.0.1:1234")]
    [InlineData(":4243", "tcp://127.0.0.1:4243")]
    [InlineData("tcp://[::1]:2375", "tcp://[::1]:2375")]
    [InlineData("http://h:1/", "tcp://h:1")]
    public void HostsParseAsDockerDoes(string text, string canonical) => Assert.Equal(canonical, DaemonHost.Parse(text).ToString());

    [Fact]
    public void TlsChangesTheDefaultPort() => Assert.Equal(2376, DaemonHost.Parse("tcp://h", tls: true).Port);

    [Theory]
    [InlineData("foo://bar")]
    [InlineData("tcp://h:notaport")]
    [InlineData("tcp://h:1/path")]
    [InlineData("ssh://me@h")]
    public void BadHostsAreRefused(string text) => Assert.Throws<ArgumentException>(() => DaemonHost.Parse(text));

    [Fact]
    public void FlagBeatsBerthHostBeatsDockerHost()
    {
        var env = new Dictionary<string, string> { ["BERTH_HOST"] = "unix:///b.sock", ["DOCKER_HOST"] = "unix:///d.sock" };
        Assert.Equal("unix:///f.sock", DaemonHostResolver.Resolve(["unix:///f.sock"], env.GetValueOrDefault, false).ToString());
        Assert.Equal("unix:///b.sock", DaemonHostResolver.Resolve([], env.GetValueOrDefault, false).ToString());
        env.Remove("BERTH_HOST");
        Assert.Equal("unix:///d.sock", DaemonHostResolver.Resolve([], env.GetValueOrDefault, false).ToString());
        env.Remove("DOCKER_HOST");
        Assert.Equal("unix:///run/berth/berth.sock", DaemonHostResolver.Resolve([], env.GetValueOrDefault, false).ToString());
    }

    [Fact]
    public void TlsSettingsFollowDockersEnvironment()
    {
        var env = new Dictionary<string, string> { ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = "/nonexistent-certs" };
        var tls = TlsSettings.From(false, null, null, null, null, env.GetValueOrDefault);
        Assert.NotNull(tls);
        Assert.True(tls.Verify);
        Assert.Null(TlsSettings.From(false, null, null, null, null, _ => null));
        Assert.False(TlsSettings.From(true, null, null, null, null, _ => null)!.Verify);
    }

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.50", "1.50")]
    [InlineData("1.51", "1.50")]
    [InlineData("1.9", "1.9")]
    [InlineData(null, "1.24")]
    public void VersionNegotiationTakesTheLower(string? server, string expected) => Assert.Equal(expected, ApiVersion.Negotiate(server));

    [Fact]
    public void QueryStringsSortAndEscapeLikeGo()
    {
        var query = new QueryString().Add("stream", true).Add("stdout", true).Add("detachKeys", "ctrl-a").Add("name", "a b/c").Add("all", false);
        Assert.Equal("detachKeys=ctrl-a&name=a+b%2Fc&stdout=1&stream=1", query.ToString());
    }

    [Fact]
    public void FiltersEncodeAsDockersMapOfSets()
    {
        var filters = Filters.Parse(["label=a=b", "status=exited", "status=created"]);
        Assert.Equal("{\"label\":{\"a=b\":true},\"status\":{\"created\":true,\"exited\":true}}", filters.ToJson());
        Assert.Throws<FormatException>(() => Filters.Parse(["nokey"]));
    }
}
