using System.Text;
using System.Text.Json.Nodes;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;

namespace Berth.IntegrationTests.Shim;

[Collection("shim")]
public sealed class ShimExecTests(ShimFixture fixture)
{
    [Fact]
    public async Task ExecOutputExitCodeAndStdinGoThroughItsOwnStream()
    {
        await using var c = await RunningAsync();

        var (pid, stream) = await c.Client.ExecAsync("e1", Process(["sh", "-c", "cat; echo err >&2; exit 3"]),
            new ShimExecOptions(Tty: false, Stdin: true, Stdout: true, Stderr: true), TestContainer.Timeout());
        await stream!.WriteAsync("piped\n"u8.ToArray(), TestContainer.Timeout());
        ShimClient.CloseStdin(stream);
        var output = await AttachOutput.ReadFramesAsync(stream, TestContainer.Timeout());

        Assert.True(pid > 0);
        Assert.Equal("piped\n", output.Stdout.ToString());
        Assert.Equal("err\n", output.Stderr.ToString());
        Assert.Equal(3, (await c.Client.WaitExecAsync("e1", TestContainer.Timeout())).ExitCode);
        Assert.Equal(ShimState.Running, (await c.Client.StateAsync(TestContainer.Timeout()))!.Status);
    }

    [Fact]
    public async Task TtyExecGetsItsSizeAndResizes()
    {
        await using var c = await RunningAsync();

        var (_, stream) = await c.Client.ExecAsync("t1", Process(["sh", "-c", "stty size; read x; stty size"], tty: true, height: 33, width: 77),
            new ShimExecOptions(Tty: true, Stdin: true, Stdout: true, Stderr: true, Height: 33, Width: 77), TestContainer.Timeout());
        string first = await ReadUntilAsync(stream!, "33 77\r\n");
        await c.Client.ResizeExecAsync("t1", 44, 88, TestContainer.Timeout());
        await stream!.WriteAsync("go\n"u8.ToArray(), TestContainer.Timeout());
        string rest = await AttachOutput.ReadRawAsync(stream, TestContainer.Timeout());

        Assert.Equal("33 77\r\n", first);
        Assert.EndsWith("44 88\r\n", rest);
        Assert.Equal(0, (await c.Client.WaitExecAsync("t1", TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task AMissingCommandIsRuncsErrorAndExitCode126()
    {
        await using var c = await RunningAsync();

        var error = await Assert.ThrowsAsync<BerthException>(() =>
            c.Client.ExecAsync("bad", Process(["no-such-command"]), new ShimExecOptions(false, false, true, true), TestContainer.Timeout()));

        Assert.Contains("no-such-command", error.Message);
        Assert.Equal(126, (await c.Client.WaitExecAsync("bad", TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task DetachedExecRunsAndIsReaped()
    {
        await using var c = await RunningAsync();

        var (pid, stream) = await c.Client.ExecAsync("d1", Process(["sh", "-c", "exit 7"]), new ShimExecOptions(false, false, false, false), TestContainer.Timeout());

        Assert.Null(stream);
        Assert.Equal(7, (await c.Client.WaitExecAsync("d1", TestContainer.Timeout())).ExitCode);
        Assert.False(File.Exists($"/proc/{pid}/status") && File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(c.StateDir, "exec-d1.json")));
    }

    [Fact]
    public async Task ExecIntoAStoppedContainerIsRefusedAndUnknownExecsAreNotFound()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["true"]);

        var error = await Assert.ThrowsAsync<BerthException>(() =>
            c.Client.ExecAsync("x", Process(["true"]), new ShimExecOptions(false, false, true, true), TestContainer.Timeout()));
        var unknown = await Assert.ThrowsAsync<BerthException>(() => c.Client.WaitExecAsync("nope", TestContainer.Timeout()));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(ErrorKind.NotFound, unknown.Kind);
    }

    private async Task<TestContainer> RunningAsync()
    {
        var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());
        return c;
    }

    private byte[] Process(string[] args, bool tty = false, int height = 0, int width = 0)
    {
        var process = (JsonObject)fixture.BaseSpec["process"]!.DeepClone();
        process["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        process["terminal"] = tty;
        if (height > 0) process["consoleSize"] = new JsonObject { ["height"] = height, ["width"] = width }; // runc sizes the pty before the process runs
        return Encoding.UTF8.GetBytes(process.ToJsonString());
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string end)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, TestContainer.Timeout()) == 0) break;
            text.Append((char)one[0]);
        }
        return text.ToString();
    }
}
