using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

/// <summary>What a service refers to elsewhere in the project: networks, other services, secrets and configs.</summary>
public sealed class ServiceReferencesTests
{
    [Fact]
    public void A_service_without_networks_joins_default()
    {
        var web = RawProject.Web("""{"image": "x"}""");
        Assert.Equal(["default"], web.Networks.Keys);
        Assert.Null(web.NetworkMode);
    }

    [Fact]
    public void Networks_list_and_map_forms()
    {
        const string top = """, "networks": {"front": null, "back": {}}""";
        Assert.Equal(["front", "back"], RawProject.Web("""{"image": "x", "networks": ["front", "back"]}""", top).Networks.Keys);

        var web = RawProject.Web("""
            {"image": "x", "networks": {"front": null, "back": {"aliases": ["api"], "ipv4_address": "172.20.0.5",
             "ipv6_address": "fd00::5", "mac_address": "02:00:00:00:00:01", "priority": "10"}}}
            """, top);
        Assert.Empty(web.Networks["front"].Aliases);
        Assert.Null(web.Networks["front"].Ipv4Address);
        var back = web.Networks["back"];
        Assert.Equal(["api"], back.Aliases);
        Assert.Equal(("172.20.0.5", "fd00::5", "02:00:00:00:00:01", 10),
            (back.Ipv4Address, back.Ipv6Address, back.MacAddress, back.Priority));
    }

    [Fact]
    public void An_undefined_network_is_refused() =>
        Assert.Equal("service \"web\" refers to undefined network front: invalid compose project",
            RawProject.WebError("""{"image": "x", "networks": ["front"]}"""));

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    [InlineData("bridge")]
    [InlineData("container:abc")]
    public void Network_mode_replaces_networks(string mode)
    {
        var web = RawProject.Web($$"""{"image": "x", "network_mode": "{{mode}}"}""");
        Assert.Equal(mode, web.NetworkMode);
        Assert.Empty(web.Networks);
    }

    [Fact]
    public void Network_mode_and_networks_exclude_each_other() =>
        Assert.Contains("mutually exclusive `network_mode` and `networks`",
            RawProject.WebError("""{"image": "x", "network_mode": "host", "networks": ["default"]}"""));

    [Fact]
    public void Network_mode_service_must_name_a_service()
    {
        var project = RawProject.Read("""
            {"services": {"vpn": {"image": "v"}, "web": {"image": "x", "network_mode": "service:vpn"}}}
            """);
        Assert.Equal("service:vpn", project.Services["web"].NetworkMode);
        Assert.Contains("undefined service nope",
            RawProject.WebError("""{"image": "x", "network_mode": "service:nope"}"""));
    }

    [Fact]
    public void Depends_on_list_and_map_forms()
    {
        var project = RawProject.Read("""
            {"services": {
              "db": {"image": "postgres"}, "cache": {"image": "redis"},
              "web": {"image": "x", "depends_on": ["db"]},
              "api": {"image": "x", "depends_on": {"db": {"condition": "service_healthy", "restart": "true"},
                                                   "cache": {"condition": "service_started", "required": "false"}}}}}
            """);
        Assert.Equal(new DependsOn(), project.Services["web"].DependsOn["db"]);
        var api = project.Services["api"].DependsOn;
        Assert.Equal(new DependsOn { Condition = "service_healthy", Restart = true }, api["db"]);
        Assert.False(api["cache"].Required);
    }

    [Fact]
    public void Depending_on_an_undefined_service_is_refused() =>
        Assert.Equal("service \"web\" depends on undefined service \"db\": invalid compose project",
            RawProject.WebError("""{"image": "x", "depends_on": ["db"]}"""));

    [Fact]
    public void An_optional_missing_dependency_is_allowed() =>
        Assert.False(RawProject.Web("""{"image": "x", "depends_on": {"db": {"required": "false"}}}""").DependsOn["db"].Required);

    [Fact]
    public void An_unknown_condition_is_refused() =>
        Assert.Contains("invalid condition", RawProject.Error("""
            {"services": {"db": {"image": "d"}, "web": {"image": "x", "depends_on": {"db": {"condition": "ready"}}}}}
            """));

    [Fact]
    public void Secrets_and_configs_get_default_targets()
    {
        var web = RawProject.Web("""
            {"image": "x", "secrets": ["token", {"source": "key", "target": "api.key"}, {"source": "cert", "target": "/etc/cert"}],
             "configs": ["app", {"source": "nginx", "target": "/etc/nginx.conf"}]}
            """, """
            , "secrets": {"token": {"file": "./token"}, "key": {"environment": "KEY"}, "cert": {"external": "true"}},
              "configs": {"app": {"content": "x=1"}, "nginx": {"file": "/abs/nginx.conf"}}
            """);
        Assert.Equal(["/run/secrets/token", "/run/secrets/api.key", "/etc/cert"], web.Secrets.Select(s => s.Target));
        Assert.Equal(["token", "key", "cert"], web.Secrets.Select(s => s.Source));
        Assert.Equal(["/app", "/etc/nginx.conf"], web.Configs.Select(c => c.Target));
    }

    [Fact]
    public void An_undefined_secret_is_refused() =>
        Assert.Equal("service \"web\" refers to undefined secret token: invalid compose project",
            RawProject.WebError("""{"image": "x", "secrets": ["token"]}"""));
}
