using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

public sealed class ProjectReaderTests
{
    [Fact]
    public void A_document_without_services_gives_an_empty_project()
    {
        var project = RawProject.Read("""{"name": "demo"}""");
        Assert.Empty(project.Services);
        Assert.Equal("demo", project.Name);
        Assert.Equal(RawProject.WorkingDirectory, project.WorkingDirectory);
    }

    [Fact]
    public void Services_keep_the_order_of_the_file()
    {
        var project = RawProject.Read("""{"services": {"zeta": {"image": "z"}, "alpha": {"image": "a"}, "mid": {"image": "m"}}}""");
        Assert.Equal(["zeta", "alpha", "mid"], project.Services.Keys);
        Assert.Equal("alpha", project.Services["alpha"].Name);
    }

    [Fact]
    public void The_default_network_always_exists()
    {
        var network = RawProject.Read("""{"services": {"web": {"image": "x"}}}""").Networks["default"];
        Assert.Equal("demo_default", network.Name);
        Assert.False(network.External);
        Assert.Null(network.Driver);
    }

    [Fact]
    public void The_file_may_redefine_the_default_network()
    {
        var network = RawProject.Read("""
            {"services": {"web": {"image": "x"}}, "networks": {"default": {"name": "shared", "external": "true"}}}
            """).Networks["default"];
        Assert.Equal("shared", network.Name);
        Assert.True(network.External);
    }

    [Fact]
    public void Network_names_follow_compose_rules()
    {
        var networks = RawProject.Read("""
            {"networks": {"front": null, "named": {"name": "custom"}, "outside": {"external": "true"},
                          "legacy": {"external": {"name": "old-net"}}}}
            """).Networks;
        Assert.Equal(["front", "named", "outside", "legacy", "default"], networks.Keys);
        Assert.Equal("demo_front", networks["front"].Name);
        Assert.Equal("custom", networks["named"].Name);
        Assert.Equal("outside", networks["outside"].Name);
        Assert.Equal("old-net", networks["legacy"].Name);
        Assert.True(networks["legacy"].External);
    }

    [Fact]
    public void Network_settings_and_ipam_are_read()
    {
        var network = RawProject.Read("""
            {"networks": {"back": {"driver": "bridge", "driver_opts": {"com.docker.network.bridge.name": "br0"},
              "internal": "true", "attachable": "true", "enable_ipv6": "true", "labels": ["tier=back"],
              "ipam": {"driver": "default", "config": [{"subnet": "172.28.0.0/16", "gateway": "172.28.0.1",
                        "ip_range": "172.28.5.0/24", "aux_addresses": {"host1": "172.28.1.5"}}]}}}}
            """).Networks["back"];
        Assert.Equal("bridge", network.Driver);
        Assert.Equal("br0", network.DriverOpts["com.docker.network.bridge.name"]);
        Assert.True(network.Internal && network.Attachable && network.EnableIpv6);
        Assert.Equal("back", network.Labels["tier"]);
        var pool = Assert.Single(network.Ipam!.Config);
        Assert.Equal(("172.28.0.0/16", "172.28.0.1", "172.28.5.0/24"), (pool.Subnet, pool.Gateway, pool.IpRange));
        Assert.Equal("172.28.1.5", pool.AuxAddresses["host1"]);
    }

    [Fact]
    public void Volume_names_follow_compose_rules()
    {
        var volumes = RawProject.Read("""
            {"volumes": {"data": null, "named": {"name": "custom", "driver": "local", "driver_opts": {"type": "tmpfs"},
                                                 "labels": {"a": "b"}},
                         "outside": {"external": "true"}}}
            """).Volumes;
        Assert.Equal(["data", "named", "outside"], volumes.Keys);
        Assert.Equal("demo_data", volumes["data"].Name);
        Assert.Equal("custom", volumes["named"].Name);
        Assert.Equal(("local", "tmpfs", "b"), (volumes["named"].Driver, volumes["named"].DriverOpts["type"], volumes["named"].Labels["a"]));
        Assert.Equal("outside", volumes["outside"].Name);
    }

    [Fact]
    public void Secrets_and_configs_are_read_with_absolute_files()
    {
        var project = RawProject.Read("""
            {"secrets": {"token": {"file": "./secrets/token"}, "key": {"environment": "API_KEY"}, "ext": {"external": "true"}},
             "configs": {"inline": {"content": "hello"}, "named": {"file": "/etc/app.conf", "name": "appconf"}}}
            """);
        Assert.Equal(new FileObjectConfig { Name = "demo_token", File = "/srv/app/secrets/token" }, project.Secrets["token"]);
        Assert.Equal("API_KEY", project.Secrets["key"].Environment);
        Assert.Equal(new FileObjectConfig { Name = "ext", External = true }, project.Secrets["ext"]);
        Assert.Equal("hello", project.Configs["inline"].Content);
        Assert.Equal(("appconf", "/etc/app.conf"), (project.Configs["named"].Name, project.Configs["named"].File));
    }

    [Fact]
    public void A_secret_without_a_source_is_refused() =>
        Assert.Contains("secrets.token:", RawProject.Error("""{"secrets": {"token": {"name": "t"}}}"""));

    [Fact]
    public void Unknown_keys_are_refused_everywhere_but_x_keys()
    {
        Assert.Equal("networks.front Additional property drivr is not allowed",
            RawProject.Error("""{"networks": {"front": {"drivr": "bridge"}}}"""));
        Assert.Equal("volumes.data Additional property size is not allowed",
            RawProject.Error("""{"volumes": {"data": {"size": "1g"}}}"""));
        Assert.Equal("(root) Additional property servics is not allowed", RawProject.Error("""{"servics": {}}"""));
        Assert.Empty(RawProject.Read("""{"x-common": {"image": "x"}, "networks": {"n": {"x-note": "ok"}}}""").Services);
    }

    private const string ProfiledProject = """
        {"services": {"web": {"image": "x"}, "debug": {"image": "d", "profiles": ["debug"]},
                      "tools": {"image": "t", "profiles": ["tools", "ops"]}}}
        """;

    [Fact]
    public void Services_with_inactive_profiles_are_set_apart()
    {
        var project = RawProject.Read(ProfiledProject);
        Assert.Equal(["web"], project.Services.Keys);
        Assert.Equal(["debug", "tools"], project.DisabledServices.Keys);
    }

    [Fact]
    public void Any_active_profile_enables_a_service()
    {
        var project = RawProject.Read(ProfiledProject, profiles: ["ops"]);
        Assert.Equal(["web", "tools"], project.Services.Keys);
        Assert.Equal(["debug"], project.DisabledServices.Keys);
        Assert.Equal(["ops"], project.Profiles);
    }

    [Fact]
    public void The_star_profile_enables_everything() =>
        Assert.Equal(3, RawProject.Read(ProfiledProject, profiles: ["*"]).Services.Count);

    [Fact]
    public void Context_is_carried_into_the_project()
    {
        var project = RawProject.Read("""{"services": {}}""");
        Assert.Equal(["/srv/app/compose.yaml"], project.ConfigFiles);
    }
}
