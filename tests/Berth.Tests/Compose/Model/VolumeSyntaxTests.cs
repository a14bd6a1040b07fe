using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

public sealed class VolumeSyntaxTests
{
    private const string DataVolume = """, "volumes": {"data": null}""";

    private static IReadOnlyList<ServiceVolume> Volumes(string volumes, string topLevel = DataVolume) =>
        RawProject.Web($$"""{"image": "x", "volumes": {{volumes}}}""", topLevel,
            new Dictionary<string, string> { ["HOME"] = "/home/me" }).Volumes;

    [Fact]
    public void Short_binds_are_absolute_and_create_their_host_path()
    {
        var volumes = Volumes("""["./src:/app", "/etc/hosts:/etc/hosts:ro", "~/cache:/cache", "../up:/up"]""");
        Assert.Equal(("bind", "/srv/app/src", "/app"), (volumes[0].Type, volumes[0].Source, volumes[0].Target));
        Assert.True(volumes[0].CreateHostPath);
        Assert.False(volumes[0].ReadOnly);
        Assert.True(volumes[1].ReadOnly);
        Assert.Equal("/etc/hosts", volumes[1].Source);
        Assert.Equal("/home/me/cache", volumes[2].Source);
        Assert.Equal("/srv/up", volumes[3].Source);
    }

    [Fact]
    public void Short_named_volumes_and_anonymous_volumes()
    {
        var volumes = Volumes("""["data:/var/lib/data:nocopy", "/scratch"]""");
        Assert.Equal(("volume", "data", "/var/lib/data"), (volumes[0].Type, volumes[0].Source, volumes[0].Target));
        Assert.True(volumes[0].VolumeNoCopy);
        Assert.False(volumes[0].CreateHostPath);
        Assert.Equal(("volume", null, "/scratch"), (volumes[1].Type, volumes[1].Source, volumes[1].Target));
    }

    [Fact]
    public void Short_modes_combine()
    {
        var volume = Assert.Single(Volumes("""["./x:/x:ro,Z,rshared"]"""));
        Assert.True(volume.ReadOnly);
        Assert.Equal("Z", volume.Selinux);
        Assert.Equal("rshared", volume.BindPropagation);
    }

    [Fact]
    public void A_bad_mode_is_refused() =>
        Assert.Contains("invalid mode \"rx\"", RawProject.WebError("""{"image": "x", "volumes": ["./x:/x:rx"]}"""));

    [Fact]
    public void An_undefined_named_volume_is_refused() =>
        Assert.Equal("service \"web\" refers to undefined volume data: invalid compose project",
            RawProject.WebError("""{"image": "x", "volumes": ["data:/data"]}"""));

    [Fact]
    public void Long_syntax_is_read()
    {
        var volumes = Volumes("""
            [
              {"type": "bind", "source": "./conf", "target": "/conf", "read_only": "true",
               "bind": {"propagation": "rprivate", "create_host_path": "true"}},
              {"type": "volume", "source": "data", "target": "/data", "volume": {"nocopy": "yes", "labels": {"a": "b"}}},
              {"type": "tmpfs", "target": "/tmp", "tmpfs": {"size": "64m", "mode": "1777"}}
            ]
            """);
        Assert.Equal("/srv/app/conf", volumes[0].Source);
        Assert.True(volumes[0].ReadOnly);
        Assert.True(volumes[0].CreateHostPath);
        Assert.Equal("rprivate", volumes[0].BindPropagation);
        Assert.True(volumes[1].VolumeNoCopy);
        Assert.Equal("b", volumes[1].VolumeLabels["a"]);
        Assert.Equal(64L * 1024 * 1024, volumes[2].TmpfsSize);
        Assert.Equal(Convert.ToInt32("1777", 8), volumes[2].TmpfsMode);
        Assert.Null(volumes[2].Source);
    }

    [Fact]
    public void Long_binds_do_not_create_the_host_path_by_default()
    {
        var volume = Assert.Single(Volumes("""[{"type": "bind", "source": "/x", "target": "/x"}]"""));
        Assert.False(volume.CreateHostPath);
    }

    [Fact]
    public void Unsupported_volume_types_are_refused() =>
        Assert.Contains("volume type \"npipe\" is not supported",
            RawProject.WebError("""{"image": "x", "volumes": [{"type": "npipe", "source": "a", "target": "/b"}]}"""));

    [Fact]
    public void A_relative_target_is_refused() =>
        Assert.Contains("target must be an absolute path", RawProject.WebError("""{"image": "x", "volumes": ["./a:b"]}"""));
}
