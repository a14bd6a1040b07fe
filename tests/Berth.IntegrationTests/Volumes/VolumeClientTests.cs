using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>The berth CLI's volume commands print what the docker CLI prints; docker-py's volume API works.</summary>
public sealed class VolumeClientTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Berth_volume_commands_match_docker()
    {
        (await Daemon.BerthAsync("volume", "create", "--label", "k=v", "-o", "type=tmpfs", "-o", "device=tmpfs", "bv1")).EnsureSuccess();
        Assert.Equal("bv2\n", (await Daemon.BerthAsync("volume", "create", "bv2")).EnsureSuccess().Stdout);
        foreach (var args in new[]
                 {
                     new[] { "volume", "ls" },
                     ["volume", "ls", "-q", "--filter", "label=k"],
                     ["volume", "ls", "--format", "{{.Name}}\t{{.Driver}}\t{{.Labels}}\t{{.Label \"k\"}}"],
                     ["volume", "ls", "--format", "table {{.Name}}\t{{.Mountpoint}}\t{{.Scope}}"],
                     ["volume", "inspect", "bv1", "bv2"],
                     ["volume", "inspect", "-f", "{{.Name}} {{.Options.type}}", "bv1"],
                 })
        {
            var docker = (await Daemon.DockerAsync(args)).EnsureSuccess();
            var berth = (await Daemon.BerthAsync(args)).EnsureSuccess();
            Assert.Equal(docker.Stdout, berth.Stdout);
        }
        var dockerMissing = await Daemon.DockerAsync("volume", "inspect", "nosuch");
        var berthMissing = await Daemon.BerthAsync("volume", "inspect", "nosuch");
        Assert.Equal((dockerMissing.ExitCode, dockerMissing.Stderr), (berthMissing.ExitCode, berthMissing.Stderr));

        (await Daemon.DockerAsync("create", "--name", "bvuser", "-v", "bv2:/d", "busybox", "true")).EnsureSuccess();
        var dockerInUse = await Daemon.DockerAsync("volume", "rm", "bv2");
        var berthInUse = await Daemon.BerthAsync("volume", "rm", "bv2");
        Assert.Equal(1, berthInUse.ExitCode);
        Assert.Contains(dockerInUse.Stderr.Trim(), berthInUse.Stderr);
        (await Daemon.DockerAsync("rm", "bvuser")).EnsureSuccess();

        var pruned = (await Daemon.BerthAsync("volume", "prune", "-af", "--filter", "label=k")).EnsureSuccess();
        Assert.Equal("Deleted Volumes:\nbv1\n\nTotal reclaimed space: 0B\n", pruned.Stdout);
        Assert.Equal("bv2\n", (await Daemon.BerthAsync("volume", "rm", "bv2")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Docker_py_creates_lists_gets_and_removes_a_volume()
    {
        const string script = """
            import docker, os
            client = docker.DockerClient(base_url=os.environ["DOCKER_HOST"])
            volume = client.volumes.create(name="pyvol", driver="local", labels={"from": "py"})
            assert volume.name == "pyvol", volume.attrs
            assert "pyvol" in [v.name for v in client.volumes.list(filters={"label": "from=py"})]
            got = client.volumes.get("pyvol")
            assert got.attrs["Labels"] == {"from": "py"}, got.attrs
            assert got.attrs["Mountpoint"].endswith("/volumes/pyvol/_data"), got.attrs
            got.remove()
            try:
                client.volumes.get("pyvol")
                raise SystemExit("still there")
            except docker.errors.NotFound:
                pass
            print("ok")
            """;
        var result = await Commands.RunAsync("python3", ["-c", script], Daemon.Env);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok\n", result.Stdout);
    }
}
