using System.Text;

namespace Berth.IntegrationTests.Shim;

[Collection("shim")]
public sealed class ShimTtyTests(ShimFixture fixture)
{
    [Fact]
    public async Task TtyOutputIsRawAndResizeReachesTheTerminal()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sh", "-c", "stty size; read line; stty size; echo got $line"], tty: true, openStdin: true, height: 30, width: 100);
        await using var attach = await c.Client.AttachAsync(true, true, true, TestContainer.Timeout());
        await c.Client.StartAsync(TestContainer.Timeout());

        string first = await ReadUntilAsync(attach, "30 100\r\n");
        await c.Client.ResizeAsync(40, 120, TestContainer.Timeout());
        await attach.WriteAsync("hi\n"u8.ToArray(), TestContainer.Timeout());
        string rest = await AttachOutput.ReadRawAsync(attach, TestContainer.Timeout());

        Assert.Equal("30 100\r\n", first);
        Assert.EndsWith("40 120\r\ngot hi\r\n", rest); // the terminal echoes "hi" first
        Assert.Equal(0, (await c.Client.WaitAsync(TestContainer.Timeout())).ExitCode);
        Assert.All(c.LogEntries(), e => Assert.Equal("stdout", e.Stream));
        Assert.Contains(("30 100\r\n", "stdout"), c.LogEntries());
    }

    [Fact]
    public async Task ResizeWithoutTtyIsRefused()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"]);
        await c.Client.StartAsync(TestContainer.Timeout());

        var error = await Assert.ThrowsAsync<Berth.Oci.Errors.BerthException>(() => c.Client.ResizeAsync(10, 10, TestContainer.Timeout()));

        Assert.Equal(Berth.Oci.Errors.ErrorKind.Invalid, error.Kind);
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
