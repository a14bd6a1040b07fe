using Berth.Client.Contexts;
using Berth.Client.Hosts;

namespace Berth.Tests.Cli.Contexts;

/// <summary>Which context and daemon a command uses: docker 28's precedence, with BERTH_HOST beside DOCKER_HOST.</summary>
public sealed class ContextResolverTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("berth-contexts-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private static string Name(string? flag, string[] hosts, Dictionary<string, string> env, string? configured)
        => ContextResolver.CurrentName(flag, hosts, env.GetValueOrDefault, configured);

    [Fact]
    public void The_context_flag_comes_first_then_hosts_then_DOCKER_CONTEXT_then_the_config()
    {
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///d.sock", ["DOCKER_CONTEXT"] = "fromenv" };
        Assert.Equal("flag", Name("flag", [], env, "configured"));
        Assert.Equal("default", Name(null, ["unix:///h.sock"], env, "configured"));
        Assert.Equal("default", Name(null, [], env, "configured"));
        env.Remove("DOCKER_HOST");
        env["BERTH_HOST"] = "unix:///b.sock";
        Assert.Equal("default", Name(null, [], env, "configured"));
        env.Remove("BERTH_HOST");
        Assert.Equal("fromenv", Name(null, [], env, "configured"));
        env.Remove("DOCKER_CONTEXT");
        Assert.Equal("configured", Name(null, [], env, "configured"));
        Assert.Equal("default", Name(null, [], env, null));
    }

    [Fact]
    public void BERTH_HOST_is_named_before_DOCKER_HOST_as_the_overriding_variable()
    {
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///d.sock", ["BERTH_HOST"] = "unix:///b.sock" };
        Assert.Equal("BERTH_HOST", ContextResolver.OverridingHostVariable(env.GetValueOrDefault));
        env.Remove("BERTH_HOST");
        Assert.Equal("DOCKER_HOST", ContextResolver.OverridingHostVariable(env.GetValueOrDefault));
        Assert.Null(ContextResolver.OverridingHostVariable(_ => null));
    }

    [Fact]
    public void A_stored_context_gives_its_host_and_tls_and_the_default_one_the_host_variables()
    {
        var store = new ContextStore(_config);
        store.Save(new DockerContext("remote", "", "tcp://127.0.0.1:2376", false));
        store.SaveTls("remote", new Dictionary<string, byte[]> { ["ca.pem"] = [1] });
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///d.sock" };

        var remote = ContextResolver.Resolve("remote", store, [], env.GetValueOrDefault, null);
        Assert.Equal("tcp://127.0.0.1:2376", remote.Host.ToString());
        Assert.NotNull(remote.Tls);
        Assert.EndsWith("/docker/ca.pem", remote.Tls.CaCertFile);

        var fallback = ContextResolver.Resolve("default", store, [], env.GetValueOrDefault, null);
        Assert.Equal("unix:///d.sock", fallback.Host.ToString());
        Assert.Null(fallback.Tls);
        Assert.Equal(DaemonHost.DefaultUnixSocket, ContextResolver.Resolve("default", store, [], _ => null, null).Host.Address);

        Assert.Throws<ContextStoreException>(() => ContextResolver.Resolve("missing", store, [], _ => null, null));
    }
}
