using Berth.Api;
using Berth.Api.Json;
using Berth.Engine.Containers;
using Berth.Engine.Volumes;
using Berth.Oci.Errors;

namespace Berth.Tests.Volumes;

public sealed class MountPlannerTests
{
    private readonly List<VolumeRequest> _requests = [];
    private readonly Dictionary<string, ContainerRecord> _containers = new(StringComparer.Ordinal);

    private MountPlanner Planner() => new(
        (request, _) =>
        {
            _requests.Add(request);
            return Task.FromResult(new VolumeRecord { Name = request.Name ?? VolumeNames.NewAnonymous() });
        },
        name => "/data/volumes/" + name + "/_data",
        id => _containers.TryGetValue(id, out var c) ? c : throw BerthException.NotFound($"No such container: {id}"));

    private Task<List<MountPointRecord>> PlanAsync(ContainerConfig config, HostConfig host) => Planner().PlanAsync(config, host, CancellationToken.None);

    private static ContainerConfig Config(params string[] volumes) =>
        new() { Image = "busybox", Volumes = volumes.Length == 0 ? null : volumes.ToDictionary(v => v, _ => EmptyObject.Instance) };

    [Fact]
    public async Task Named_volume_bind_and_image_volume_each_become_a_mount_point()
    {
        string bindSource = Path.Combine(Path.GetTempPath(), "berth-planner-" + Guid.NewGuid().ToString("N"));
        try
        {
            var mounts = await PlanAsync(Config("/cache"), new HostConfig { Binds = ["data:/data", bindSource + ":/host:ro"] });
            Assert.Collection(mounts,
                m =>
                {
                    Assert.Equal(("volume", "data", "/data/volumes/data/_data", "/data", "z", true), (m.Type, m.Name, m.Source, m.Destination, m.Mode, m.RW));
                    Assert.True(m.CopyData);
                    Assert.False(m.Anonymous);
                },
                m => Assert.Equal(("bind", bindSource, "/host", "ro", false, "rprivate"), (m.Type, m.Source, m.Destination, m.Mode, m.RW, m.Propagation)),
                m =>
                {
                    Assert.Equal(("volume", "/cache", ""), (m.Type, m.Destination, m.Mode));
                    Assert.True(m.Anonymous);
                    Assert.Matches("^[0-9a-f]{64}$", m.Name);
                });
            Assert.True(Directory.Exists(bindSource), "-v creates a missing bind source");
            Assert.True(_requests[1].Anonymous);
        }
        finally
        {
            if (Directory.Exists(bindSource)) Directory.Delete(bindSource);
        }
    }

    [Fact]
    public async Task An_image_volume_under_an_explicit_mount_makes_no_anonymous_volume()
    {
        var mounts = await PlanAsync(Config("/data"), new HostConfig { Binds = ["named:/data"] });
        Assert.Single(mounts);
        Assert.Equal("named", mounts[0].Name);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task Two_explicit_mounts_on_one_destination_are_refused()
    {
        var error = await Assert.ThrowsAsync<BerthException>(() => PlanAsync(Config(), new HostConfig { Binds = ["a1:/x", "b1:/x"] }));
        Assert.Equal("Duplicate mount point: /x", error.Message);
    }

    [Fact]
    public async Task Mount_syntax_carries_readonly_subpath_nocopy_labels_and_driver_options()
    {
        var mounts = await PlanAsync(Config(), new HostConfig
        {
            Mounts =
            [
                new Mount
                {
                    Type = "volume", Source = "vol1", Target = "/v", ReadOnly = true,
                    VolumeOptions = new MountVolumeOptions
                    {
                        NoCopy = true, Subpath = "sub/dir", Labels = new() { ["k"] = "v" },
                        DriverConfig = new MountVolumeDriver { Options = new() { ["type"] = "tmpfs", ["device"] = "tmpfs" } },
                    },
                },
                new Mount { Type = "volume", Target = "/anon" },
                new Mount { Type = "tmpfs", Target = "/t", TmpfsOptions = new MountTmpfsOptions { SizeBytes = 1024, Mode = 448 } },
            ],
        });
        Assert.Equal(("vol1", false, false, "sub/dir", "z"), (mounts[0].Name, mounts[0].RW, mounts[0].CopyData, mounts[0].Subpath, mounts[0].Mode));
        Assert.Equal("v", _requests[0].Labels!["k"]);
        Assert.Equal("tmpfs", _requests[0].DriverOptions!["type"]);
        Assert.True(mounts[1].Anonymous);
        Assert.True(_requests[1].Anonymous);
        Assert.Equal(("tmpfs", "size=1024,mode=700"), (mounts[2].Type, mounts[2].TmpfsOptions));
    }

    [Theory]
    [InlineData("../up")]
    [InlineData("/abs")]
    public async Task A_subpath_must_stay_inside_the_volume(string subpath)
    {
        var host = new HostConfig { Mounts = [new Mount { Type = "volume", Source = "vol1", Target = "/v", VolumeOptions = new MountVolumeOptions { Subpath = subpath } }] };
        await Assert.ThrowsAsync<BerthException>(() => PlanAsync(Config(), host));
    }

    [Fact]
    public async Task A_bind_mount_source_must_exist()
    {
        var host = new HostConfig { Mounts = [new Mount { Type = "bind", Source = "/no/such/dir/berth", Target = "/v" }] };
        var error = await Assert.ThrowsAsync<BerthException>(() => PlanAsync(Config(), host));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir/berth", error.Message);
    }

    [Fact]
    public async Task Volumes_from_copies_the_mounts_with_the_mode_given()
    {
        _containers["src"] = new ContainerRecord
        {
            Id = "src", Name = "/src", Created = DateTimeOffset.UnixEpoch, ImageId = "i", Path = "sh", Args = [],
            Config = Config(), HostConfig = new HostConfig(),
            MountPoints = [new MountPointRecord { Type = "volume", Name = "shared", Source = "/s", Destination = "/shared", Driver = "local", Mode = "z", RW = true }],
        };
        var mounts = await PlanAsync(Config(), new HostConfig { VolumesFrom = ["src:ro"] });
        var mount = Assert.Single(mounts);
        Assert.Equal(("shared", "/shared", false, "ro"), (mount.Name, mount.Destination, mount.RW, mount.Mode));
        Assert.Empty(_requests);

        Assert.Equal("invalid mode: xx", (await Assert.ThrowsAsync<BerthException>(() => PlanAsync(Config(), new HostConfig { VolumesFrom = ["src:xx"] }))).Message);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => PlanAsync(Config(), new HostConfig { VolumesFrom = ["nope"] }))).Kind);
    }
}
