using System.Text.Json.Nodes;
using Berth.Engine.Runtime.Shim;
using Berth.IntegrationTests.Infrastructure;
using Berth.Oci.Errors;

namespace Berth.IntegrationTests.Shim;

[Collection("shim")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ShimLifecycleTests(ShimFixture fixture)
{
    [Fact]
    public async Task SeparatesStdoutAndStderrInFramesAndLogAndReportsTheExitCode()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "echo out; echo err >&2; echo more; exit 3"]);
        Assert.Equal(new ShimState(ShimState.Created, c.InitPid, null), await c.Client.StateAsync(TestContainer.Timeout()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(c.Client.SocketPath));

        await using var attach = await c.Client.AttachAsync(false, true, true, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());
        var output = await AttachOutput.ReadFramesAsync(attach, TestContainer.Timeout());
        var exit = await c.Client.WaitAsync(TestContainer.Timeout());

        Assert.Equal("out\nmore\n", output.Stdout.ToString());
        Assert.Equal("err\n", output.Stderr.ToString());
        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.OomKilled);
        Assert.InRange(exit.FinishedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var log = c.LogEntries();
        Assert.Equal([("out\n", "stdout"), ("more\n", "stdout")], log.Where(e => e.Stream == "stdout"));
        Assert.Equal([("err\n", "stderr")], log.Where(e => e.Stream == "stderr"));
        Assert.Equal(exit, ShimClient.ReadExitFile(c.StateDir));
    }

    [Fact]
    public async Task A_shim_started_ahead_of_its_configuration_exits_untouched_when_let_go()
    {
        string stateDir = Path.Combine(fixture.Root, "never-configured-" + Guid.NewGuid().ToString("N")[..8]);
        ShimLauncher.Start(fixture.ShimPath, stateDir, "never-configured").Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ProcessTable.WithCommandLineContaining(stateDir).Any() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Empty(ProcessTable.WithCommandLineContaining(stateDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(stateDir));
    }

    [Fact]
    public async Task WaitAndStateAfterExitAnswerImmediately()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["true"]);
        await c.Client.StartAsync(TestContainer.Timeout());
        var first = await c.Client.WaitAsync(TestContainer.Timeout());

        var again = await c.Client.WaitAsync(TestContainer.Timeout(2));
        var state = await c.Client.StateAsync(TestContainer.Timeout(2));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first, again);
        Assert.Equal(ShimState.Exited, state!.Status);
        Assert.Equal(first, state.Exit);
        await Assert.ThrowsAsync<BerthException>(() => c.Client.KillAsync(9, TestContainer.Timeout()));
        await Assert.ThrowsAsync<BerthException>(() => c.Client.StartAsync(TestContainer.Timeout()));
    }

    [Fact]
    public async Task SigkillGives137()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());
        Assert.Equal(ShimState.Running, (await c.Client.StateAsync(TestContainer.Timeout()))!.Status);

        await c.Client.KillAsync(9, TestContainer.Timeout());

        Assert.Equal(137, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task SigtermGives143()
    {
        await using var c = new TestContainer(fixture);
        await StartSleepInTheHostPidNamespaceAsync(c);

        await c.Client.KillAsync(15, TestContainer.Timeout());

        Assert.Equal(143, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task A_signal_sent_as_the_start_returns_waits_for_the_program_to_be_exec_d()
    {
        // runc init answers the start through its exec fifo a moment before it execs the program; a SIGTERM in that
        // moment would reach runc's Go runtime instead (and could be lost). Ten times, as the window is short.
        for (int round = 0; round < 10; round++)
        {
            await using var c = new TestContainer(fixture);
            await StartSleepInTheHostPidNamespaceAsync(c);

            await c.Client.KillAsync(15, TestContainer.Timeout());
            string? comm = null;
            try { comm = File.ReadAllText($"/proc/{c.InitPid}/comm").Trim(); } catch (IOException) { } // reaped already

            Assert.NotEqual("runc:[2:INIT]", comm);
            Assert.Equal(143, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
        }
    }

    /// <summary>As pid 1 of its namespace, sleep would ignore SIGTERM (no handler); in the host pid namespace the signal kills it.</summary>
    private static async Task StartSleepInTheHostPidNamespaceAsync(TestContainer c)
    {
        await c.CreateAsync(["sleep", "100"], edit: spec =>
        {
            var namespaces = spec["linux"]!["namespaces"]!.AsArray();
            namespaces.Remove(namespaces.First(n => (string)n!["type"]! == "pid"));
        });
        await c.Client.StartAsync(TestContainer.Timeout());
    }

    [Fact]
    public async Task TrappedSigtermInPidNamespace()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "trap 'echo got TERM; exit 143' TERM; echo ready; while true; do sleep 0.05; done"]);
        await using var attach = await c.Client.AttachAsync(false, true, false, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());
        var header = new byte[8 + 6];
        await attach.ReadExactlyAsync(header, TestContainer.Timeout()); // "ready\n": the trap is installed

        await c.Client.KillAsync(15, TestContainer.Timeout());
        var output = await AttachOutput.ReadFramesAsync(attach, TestContainer.Timeout());

        Assert.Equal("got TERM\n", output.Stdout.ToString());
        Assert.Equal(143, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task KillBeforeStartEndsTheCreatedContainer()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["true"]);

        await c.Client.KillAsync(9, TestContainer.Timeout());

        Assert.Equal(137, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
        await c.Client.ShutdownAsync(TestContainer.Timeout());
    }

    [Fact]
    public async Task CreateFailureReportsRuncsMessageAndLeavesNothingBehind()
    {
        await using var c = new TestContainer(fixture);

        var error = await Assert.ThrowsAsync<BerthException>(() => c.CreateAsync(["nosuch"]));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", error.Message);
        Assert.DoesNotContain(c.Id, ShimFixture.Run(ShimFixture.Runc, "--root", fixture.RuntimeRoot, "list", "-q"));
        Assert.Null(await c.Client.StateAsync(TestContainer.Timeout()));
    }

    [Fact]
    public async Task ShutdownIsRefusedWhileRunning()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());

        var error = await Assert.ThrowsAsync<BerthException>(() => c.Client.ShutdownAsync(TestContainer.Timeout()));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task SigtermToTheShimLeavesTheContainerAlone()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());

        int shim = c.ShimPid();
        // Its own session (setsid), so the daemon's session and terminal signals do not reach it.
        Assert.Equal(shim.ToString(), File.ReadAllText($"/proc/{shim}/stat").Split(") ")[1].Split(' ')[3]);

        ShimFixture.Run("kill", "-TERM", shim.ToString());
        await Task.Delay(200);

        Assert.Equal(ShimState.Running, (await c.Client.StateAsync(TestContainer.Timeout()))!.Status);
    }

    [Fact]
    public async Task ExitJsonIsWrittenWhenNobodyListensAndTheShimGoesAway()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "echo bye; exit 5"]);
        await c.Client.StartAsync(TestContainer.Timeout());

        // Nobody waits: after its linger time the shim exits by itself, leaving exit.json and the log.
        // (Polling the socket would count as somebody; watch for the socket file to go instead.)
        string socket = Path.Combine(c.StateDir, ShimFiles.Socket);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(socket) && DateTime.UtcNow < deadline) await Task.Delay(100);

        Assert.Null(await c.Client.StateAsync(TestContainer.Timeout()));
        Assert.Equal(5, ShimClient.ReadExitFile(c.StateDir)!.ExitCode);
        Assert.Equal([("bye\n", "stdout")], c.LogEntries());
    }
}
