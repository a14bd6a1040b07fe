using System.Text;
using System.Text.Json.Nodes;
using Berth.Engine.Runtime.Shim;

namespace Berth.IntegrationTests.Shim;

/// <summary>The shim runs execs itself, and hands to runc what it does not support (here: a process without capabilities).</summary>
[Collection("shim")]
public sealed class ShimNativeExecTests(ShimFixture fixture)
{
    [Fact]
    public async Task AnExecIsStartedByTheShimItselfInTheInitsNamespacesAndCgroups()
    {
        await using var c = await RunningAsync();

        var (pid, stream) = await c.Client.ExecAsync("n1", Process(["sh", "-c", "sleep 1; exit 5"]), new ShimExecOptions(false, false, false, false), TestContainer.Timeout());

        // A runc exec's process is reparented to the shim only after runc has exited; a native one is the shim's own child.
        Assert.Null(stream);
        Assert.Equal(c.ShimPid(), PPid(pid));
        foreach (string ns in new[] { "ipc", "uts", "net", "pid", "mnt", "cgroup" })
            Assert.Equal(new FileInfo($"/proc/{c.InitPid}/ns/{ns}").LinkTarget, new FileInfo($"/proc/{pid}/ns/{ns}").LinkTarget);
        Assert.Equal(File.ReadAllText($"/proc/{c.InitPid}/cgroup"), File.ReadAllText($"/proc/{pid}/cgroup"));
        Assert.Equal(5, (await c.Client.WaitExecAsync("n1", TestContainer.Timeout())).ExitCode);
        Assert.DoesNotContain("through runc", await File.ReadAllTextAsync(Path.Combine(c.StateDir, "shim.log")));
    }

    [Fact]
    public async Task WhatTheNativePathDoesNotSupportGoesThroughRunc()
    {
        await using var c = await RunningAsync();
        var process = JsonNode.Parse(Process(["sh", "-c", "echo via runc"]))!.AsObject();
        process.Remove("capabilities");

        var (_, stream) = await c.Client.ExecAsync("r1", Encoding.UTF8.GetBytes(process.ToJsonString()),
            new ShimExecOptions(false, false, true, true), TestContainer.Timeout());
        var output = await AttachOutput.ReadFramesAsync(stream!, TestContainer.Timeout());

        Assert.Equal("via runc\n", output.Stdout.ToString());
        Assert.Equal(0, (await c.Client.WaitExecAsync("r1", TestContainer.Timeout())).ExitCode);
        Assert.Contains("exec r1: through runc (no capabilities object)", await File.ReadAllTextAsync(Path.Combine(c.StateDir, "shim.log")));
    }

    private static int PPid(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("PPid:", StringComparison.Ordinal)) return int.Parse(line[5..].Trim());
        throw new InvalidOperationException("no PPid");
    }

    private async Task<TestContainer> RunningAsync()
    {
        var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());
        return c;
    }

    private byte[] Process(string[] args)
    {
        var process = (JsonObject)fixture.BaseSpec["process"]!.DeepClone();
        process["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        process["terminal"] = false;
        return Encoding.UTF8.GetBytes(process.ToJsonString());
    }
}
