using System.Formats.Tar;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Archive;

/// <summary>
/// Archives and containers that try to make berthd write outside the container's root through PUT
/// /containers/{id}/archive. Each is refused or lands inside the container; a canary directory on the host, which
/// every attempt aims at, must stay empty.
/// </summary>
public sealed class EscapeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly string _canary = Directory.CreateTempSubdirectory("berth-cp-canary-").FullName;

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Dot_dot_names_are_refused()
    {
        string name = await RunningAsync("sleep 600");
        using var response = await PutAsync(name, "/", ArchiveApi.Tar(("../../../../../../.." + _canary + "/dotdot", TarEntryType.RegularFile, "x")));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("outside of the extraction point", await response.Content.ReadAsStringAsync());
        AssertCanaryEmpty();
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("relative")]
    public async Task Symlinks_in_the_archive_lead_inside_the_container(string kind)
    {
        string name = await RunningAsync("mkdir -p " + _canary + "; sleep 600");
        await WaitForAsync(name, _canary); // the container's own mkdir may not have run yet when start returns
        string target = kind == "absolute" ? _canary : "../../../../../../../.." + _canary;
        using var response = await PutAsync(name, "/", ArchiveApi.Tar(("evil", TarEntryType.SymbolicLink, target), ("evil/through", TarEntryType.RegularFile, "x")));
        Assert.Equal(200, (int)response.StatusCode);
        AssertCanaryEmpty();
        var inside = await Daemon.DockerAsync("cp", name + ":" + _canary + "/through", "-");
        Assert.Equal(0, inside.ExitCode);
    }

    [Fact]
    public async Task Symlinks_planted_by_the_container_lead_inside_it()
    {
        string name = await RunningAsync($"mkdir -p {_canary}; ln -s {_canary} /planted; ln -s ../../../../../../..{_canary} /planted-relative; mkdir /dir; ln -s {_canary} /dir/sub; sleep 600");
        await WaitForAsync(name, "/dir/sub");
        foreach (var destination in new[] { "/planted", "/planted-relative/", "/dir/sub/." })
        {
            using var response = await PutAsync(name, destination, ArchiveApi.Tar(("x", TarEntryType.RegularFile, "x")));
            Assert.Equal(200, (int)response.StatusCode);
        }
        using var parentLink = await PutAsync(name, "/dir", ArchiveApi.Tar(("sub/y", TarEntryType.RegularFile, "y")));
        Assert.Equal(200, (int)parentLink.StatusCode);
        AssertCanaryEmpty();
        var inside = await Daemon.DockerAsync("cp", name + ":" + _canary + "/y", "-");
        Assert.Equal(0, inside.ExitCode);
    }

    [Fact]
    public async Task Hard_links_out_of_the_extraction_point_and_devices_are_refused()
    {
        string name = await RunningAsync("sleep 600");
        using var hardLink = await PutAsync(name, "/tmp", ArchiveApi.Tar(("h", TarEntryType.HardLink, "../../../../../../etc/passwd")));
        Assert.Equal(400, (int)hardLink.StatusCode);
        Assert.Contains("invalid hardlink", await hardLink.Content.ReadAsStringAsync());

        using var device = await PutAsync(name, "/tmp", ArchiveApi.Tar(("mem", TarEntryType.CharacterDevice, "")));
        Assert.Equal(400, (int)device.StatusCode);
        Assert.Contains("refusing to create device", await device.Content.ReadAsStringAsync());
        var absent = await Daemon.DockerAsync("cp", name + ":/tmp/mem", "-");
        Assert.NotEqual(0, absent.ExitCode);
        AssertCanaryEmpty();
    }

    [Fact]
    public async Task Reading_through_a_symlink_stays_in_the_container()
    {
        await File.WriteAllTextAsync(Path.Combine(_canary, "secret"), "host secret\n");
        try
        {
            string name = await RunningAsync($"ln -s {_canary} /peek; sleep 600");
            await WaitForAsync(name, "/peek");
            var read = await Daemon.DockerAsync("cp", name + ":/peek/secret", "-");
            Assert.NotEqual(0, read.ExitCode);
            Assert.DoesNotContain("host secret", read.Stdout);
        }
        finally
        {
            File.Delete(Path.Combine(_canary, "secret"));
        }
    }

    private void AssertCanaryEmpty() => Assert.Empty(Directory.EnumerateFileSystemEntries(_canary));

    private Task<string> RunningAsync(string script) => ArchiveApi.RunAsync(Daemon, script);

    private Task WaitForAsync(string name, string path) => ArchiveApi.WaitForAsync(Daemon, name, path);

    private Task<HttpResponseMessage> PutAsync(string name, string path, byte[] tar) => ArchiveApi.PutAsync(Daemon, name, path, tar);

    public void Dispose() => Directory.Delete(_canary, recursive: true);
}
