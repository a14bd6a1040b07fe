using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Networks;
using Berth.Engine.Volumes;

namespace Berth.Tests.Engine;

public sealed class CreateAheadPolicyTests
{
    private static ContainerRecord Created(HostConfig? host = null, List<MountPointRecord>? mounts = null, ContainerEndpoint? endpoint = null) => new()
    {
        Id = "c1", Name = "/c1", Created = DateTimeOffset.UnixEpoch, ImageId = "i", Path = "sh", Args = [],
        Config = new ContainerConfig(), HostConfig = host ?? new HostConfig { NetworkMode = "default" },
        State = new Berth.Engine.Containers.ContainerState { Status = "created" },
        MountPoints = mounts ?? [],
        Networking = new Berth.Engine.Networks.ContainerNetworking { Endpoints = endpoint is null ? [] : [endpoint] },
    };

    [Fact]
    public void A_plain_new_container_with_binds_and_tmpfs_is_created_ahead()
    {
        var mounts = new List<MountPointRecord>
        {
            new() { Type = "bind", Source = "/tmp", Destination = "/host" },
            new() { Type = "tmpfs", Destination = "/scratch" },
        };
        Assert.True(CreateAheadPolicy.Allows(Created(mounts: mounts, endpoint: new ContainerEndpoint { NetworkId = "n", NetworkName = "bridge" })));
    }

    [Fact]
    public void Containers_started_before_or_not_in_created_state_are_not()
    {
        var started = Created();
        started.HasBeenStartedBefore = true;
        Assert.False(CreateAheadPolicy.Allows(started));
        var removing = Created();
        removing.State.RemovalInProgress = true;
        Assert.False(CreateAheadPolicy.Allows(removing));
        var exited = Created();
        exited.State.Status = "exited";
        Assert.False(CreateAheadPolicy.Allows(exited));
    }

    [Fact]
    public void What_would_hold_host_resources_or_depends_on_other_containers_is_not()
    {
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { PortBindings = new() { ["80/tcp"] = [new PortBinding { HostPort = "8080" }] } })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { PublishAllPorts = true })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { Links = ["db:db"] })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { VolumesFrom = ["data"] })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { NetworkMode = "container:web" })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { PidMode = "container:web" })));
        Assert.False(CreateAheadPolicy.Allows(Created(new HostConfig { IpcMode = "container:web" })));
        Assert.False(CreateAheadPolicy.Allows(Created(endpoint: new ContainerEndpoint { NetworkId = "n", NetworkName = "net", RequestedIp = "10.9.0.9" })));
        Assert.False(CreateAheadPolicy.Allows(Created(mounts: [new MountPointRecord { Type = "volume", Name = "data", Destination = "/data" }])));
    }

    [Fact]
    public void Host_network_and_pid_modes_are_allowed()
    {
        Assert.True(CreateAheadPolicy.Allows(Created(new HostConfig { NetworkMode = "host", PidMode = "host", IpcMode = "private" })));
    }
}
