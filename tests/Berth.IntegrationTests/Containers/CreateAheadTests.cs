using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// berthd has runc create a new container while the client is still on its way to start it. None of it may show:
/// before the start the container has no address and no process of its own, a start after changes to the record
/// starts what the record says, and a container that is removed, copied into, or never started (even across a
/// daemon that is killed) leaves nothing behind.
/// </summary>
public sealed class CreateAheadTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static bool HasShim(string id) => ProcessTable.WithCommandLineContaining("berth-shim", id).Any();

    private static bool Mounted(string id) => File.ReadAllText("/proc/self/mountinfo").Contains(id, StringComparison.Ordinal);

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    private static async Task AssertNothingLeftAsync(BerthDaemon daemon, string id)
    {
        // A shim answers its last request just before it exits.
        Assert.True(await EventuallyAsync(() => !HasShim(id), TimeSpan.FromSeconds(2)), "a shim is left behind");
        Assert.False(Directory.Exists(Path.Combine(daemon.ExecRoot, "runc", id)), "runc state directory left behind");
        Assert.False(Mounted(id), "a mount (root or network namespace) is left behind");
    }

    [Fact]
    public async Task A_container_created_ahead_shows_nothing_before_its_start_and_is_undone_when_no_start_comes()
    {
        string name = Unique("ahead");
        string id = (await Daemon.DockerAsync("create", "--name", name, "busybox", "sleep", "300")).Stdout.Trim();
        Assert.True(await EventuallyAsync(() => HasShim(id), TimeSpan.FromSeconds(1)), "runc create did not begin after the create");
        var inspect = await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Pid}} [{{.NetworkSettings.IPAddress}}] [{{.NetworkSettings.SandboxKey}}]", name);
        Assert.Equal("created 0 [] []\n", inspect.Stdout);

        Assert.True(await EventuallyAsync(() => !HasShim(id) && !Mounted(id), TimeSpan.FromSeconds(4)), "the early creation was not undone");
        await AssertNothingLeftAsync(Daemon, id);

        Assert.Equal(0, (await Daemon.DockerAsync("start", name)).ExitCode);
        var running = await Daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.NetworkSettings.IPAddress}}", name);
        Assert.StartsWith("running 172.", running.Stdout);
        Assert.Equal(0, (await Daemon.DockerAsync("rm", "-f", name)).ExitCode);
        await AssertNothingLeftAsync(Daemon, id);
    }

    [Fact]
    public async Task A_start_after_the_record_changed_starts_what_the_record_says()
    {
        string network = Unique("aheadnet");
        Assert.Equal(0, (await Daemon.DockerAsync("network", "create", network)).ExitCode);
        string name = Unique("ahead");
        try
        {
            Assert.Equal(0, (await Daemon.DockerAsync("create", "--name", name, "busybox", "sleep", "300")).ExitCode);
            Assert.Equal(0, (await Daemon.DockerAsync("network", "connect", network, name)).ExitCode);
            string renamed = name + "-b";
            Assert.Equal(0, (await Daemon.DockerAsync("rename", name, renamed)).ExitCode);
            Assert.Equal(0, (await Daemon.DockerAsync("start", renamed)).ExitCode);
            name = renamed;
            var links = await Daemon.DockerAsync("exec", name, "ls", "/sys/class/net");
            Assert.Equal("eth0\neth1\nlo\n", links.Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", name);
            await Daemon.DockerAsync("network", "rm", network);
        }
    }

    [Fact]
    public async Task Copying_into_a_container_created_ahead_then_starting_it_keeps_the_file()
    {
        string name = Unique("ahead");
        string id = (await Daemon.DockerAsync("create", "--name", name, "busybox", "cat", "/greeting")).Stdout.Trim();
        Assert.True(await EventuallyAsync(() => HasShim(id), TimeSpan.FromSeconds(1)));
        string file = Path.Combine(Path.GetTempPath(), Unique("greeting"));
        await File.WriteAllTextAsync(file, "hello from the host\n");
        try
        {
            Assert.Equal(0, (await Daemon.DockerAsync("cp", file, $"{name}:/greeting")).ExitCode);
            var run = await Daemon.DockerAsync("start", "-a", name);
            Assert.Equal("hello from the host\n", run.Stdout);
        }
        finally
        {
            File.Delete(file);
            await Daemon.DockerAsync("rm", "-f", name);
        }
        await AssertNothingLeftAsync(Daemon, id);
    }

    [Fact]
    public async Task Removing_a_container_created_ahead_leaves_nothing()
    {
        string id = (await Daemon.DockerAsync("create", "busybox", "true")).Stdout.Trim();
        Assert.True(await EventuallyAsync(() => HasShim(id), TimeSpan.FromSeconds(1)));
        Assert.Equal(0, (await Daemon.DockerAsync("rm", id)).ExitCode);
        await AssertNothingLeftAsync(Daemon, id);
    }

    [Fact]
    public async Task A_daemon_killed_while_a_container_was_created_ahead_undoes_it_when_it_comes_back()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        string id = (await daemon.DockerAsync("create", "busybox", "echo", "started")).Stdout.Trim();
        Assert.True(await EventuallyAsync(() => HasShim(id) && Mounted(id), TimeSpan.FromSeconds(1)));
        await daemon.KillAsync();
        await daemon.LaunchAsync();
        await AssertNothingLeftAsync(daemon, id);
        var run = await daemon.DockerAsync("start", "-a", id);
        Assert.Equal("started\n", run.Stdout);

        // A daemon stopped as an init system stops it does not leave one behind either.
        string second = (await daemon.DockerAsync("create", "busybox", "true")).Stdout.Trim();
        Assert.True(await EventuallyAsync(() => HasShim(second), TimeSpan.FromSeconds(1)));
        await daemon.StopAsync();
        await AssertNothingLeftAsync(daemon, second);
        await daemon.LaunchAsync();
    }
}
