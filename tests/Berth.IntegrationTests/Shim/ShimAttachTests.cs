using System.Text;
using Berth.Engine.Runtime.Shim;

namespace Berth.IntegrationTests.Shim;

[Collection("shim")]
public sealed class ShimAttachTests(ShimFixture fixture)
{
    [Fact]
    public async Task StdinThroughAttachWithStdinOnceClosesTheContainersStdin()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "cat; echo done"], openStdin: true, stdinOnce: true);
        await using var attach = await c.Client.AttachAsync(true, true, true, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());

        await attach.WriteAsync("hello\nworld\n"u8.ToArray(), TestContainer.Timeout());
        ShimClient.CloseStdin(attach);
        var output = await AttachOutput.ReadFramesAsync(attach, TestContainer.Timeout());

        Assert.Equal("hello\nworld\ndone\n", output.Stdout.ToString());
        Assert.Equal(0, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
    }

    [Fact]
    public async Task WithoutStdinOnceStdinStaysOpenForTheNextAttacher()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "read a; read b; echo \"$a $b\""], openStdin: true);
        await using var output = await c.Client.AttachAsync(false, true, false, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());

        await using (var first = await c.Client.AttachAsync(true, false, false, TestContainer.Timeout()))
        {
            await first.WriteAsync("one\n"u8.ToArray(), TestContainer.Timeout());
            ShimClient.CloseStdin(first);
        }
        await using (var second = await c.Client.AttachAsync(true, false, false, TestContainer.Timeout()))
            await second.WriteAsync("two\n"u8.ToArray(), TestContainer.Timeout());

        Assert.Equal("one two\n", (await AttachOutput.ReadFramesAsync(output, TestContainer.Timeout())).Stdout.ToString());
    }

    [Fact]
    public async Task TwoAttachersGetTheSameOutput()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "for i in 1 2 3 4 5; do echo line $i; echo warn $i >&2; done"]);
        await using var a = await c.Client.AttachAsync(false, true, true, TestContainer.Timeout());
        await using var b = await c.Client.AttachAsync(false, true, false, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());

        var outputs = await Task.WhenAll(AttachOutput.ReadFramesAsync(a, TestContainer.Timeout()), AttachOutput.ReadFramesAsync(b, TestContainer.Timeout()));

        string expected = string.Concat(Enumerable.Range(1, 5).Select(i => $"line {i}\n"));
        Assert.Equal(expected, outputs[0].Stdout.ToString());
        Assert.Equal(expected, outputs[1].Stdout.ToString());
        Assert.Equal(string.Concat(Enumerable.Range(1, 5).Select(i => $"warn {i}\n")), outputs[0].Stderr.ToString());
        Assert.Empty(outputs[1].Stderr.ToString());
    }

    [Fact]
    public async Task ShimKeepsServingWhenTheDaemonDisconnectsAndComesBack()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "i=0; while [ $i -lt 40 ]; do echo tick $i; i=$((i+1)); sleep 0.05; done"]);
        var first = await c.Client.AttachAsync(false, true, true, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());
        var header = new byte[8];
        await first.ReadExactlyAsync(header, TestContainer.Timeout());
        await first.DisposeAsync(); // the "daemon" goes away mid-stream

        var reconnected = new ShimClient(c.StateDir);
        Assert.Equal(ShimState.Running, (await reconnected.StateAsync(TestContainer.Timeout()))!.Status);
        await using var second = await reconnected.AttachAsync(false, true, true, TestContainer.Timeout());
        var output = await AttachOutput.ReadFramesAsync(second, TestContainer.Timeout());
        var exit = await reconnected.WaitAsync(TestContainer.Timeout());

        Assert.Equal(0, exit.ExitCode);
        Assert.EndsWith("tick 39\n", output.Stdout.ToString());
        Assert.Equal(40, c.LogEntries().Count); // the log has everything, attached or not
    }

    [Fact]
    public async Task AStuckAttacherDoesNotStopTheContainer()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "dd if=/dev/zero bs=64k count=160 2>/dev/null | tr '\\0' x; echo; echo end"]);
        await using var stuck = await c.Client.AttachAsync(false, true, true, TestContainer.Timeout()); // never read
        await c.Client.StartAsync(TestContainer.Timeout());

        var exit = await c.Client.WaitAsync(TestContainer.Timeout(30));

        Assert.Equal(0, exit.ExitCode);
        var log = c.LogEntries();
        Assert.Equal("end\n", log[^1].Log);
        Assert.Equal(160 * 65536 + 1, log.Take(log.Count - 1).Sum(e => e.Log.Length));
    }

    [Fact]
    public async Task LargeOutputArrivesCompleteAndFast()
    {
        await using var c = new TestContainer(fixture);
        const int count = 4096; // 256 MiB
        // Printable bytes (16 KiB partial log lines), so the log holds 256 MiB rather than 1.5 GiB of escaped NULs.
        await c.CreateAsync(["sh", "-c", $"dd if=/dev/zero bs=64k count={count} 2>/dev/null | tr '\\0' x"]);
        await using var attach = await c.Client.AttachAsync(false, true, true, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        long total = 0;
        var header = new byte[8];
        var buffer = new byte[1 << 20];
        while (true)
        {
            int n = await attach.ReadAtLeastAsync(header, 8, throwOnEndOfStream: false, TestContainer.Timeout(60));
            if (n == 0) break;
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            Assert.Equal(1, header[0]);
            await attach.ReadExactlyAsync(buffer.AsMemory(0, length), TestContainer.Timeout(60));
            total += length;
        }
        clock.Stop();
        await c.Client.WaitAsync(TestContainer.Timeout());

        Assert.Equal(count * 65536L, total);
        double mbPerSecond = total / 1e6 / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"attach throughput: {total / 1048576} MiB in {clock.Elapsed.TotalSeconds:F2} s = {mbPerSecond:F0} MB/s; log {new FileInfo(c.LogPath).Length / 1048576} MiB");
        File.Delete(c.LogPath);
    }
}
