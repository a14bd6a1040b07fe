using Berth.Shim.Protocol;

namespace Berth.Tests.Shim;

public class ShimRequestTests
{
    [Theory]
    [InlineData("START", "Start")]
    [InlineData("WAIT", "Wait")]
    [InlineData("STATE", "State")]
    [InlineData("SHUTDOWN\r", "Shutdown")]
    public void ParsesCommandsWithoutArguments(string line, string command) =>
        Assert.Equal(command, ShimRequest.Parse(line, out _)!.Command.ToString());

    [Fact]
    public void ParsesAttachFlagsAndIgnoresUnknownOptions()
    {
        var request = ShimRequest.Parse("ATTACH stdin=1 stdout=0 stderr=1 exec=abc", out _)!;
        Assert.Equal(ShimCommand.Attach, request.Command);
        Assert.True(request.Stdin);
        Assert.False(request.Stdout);
        Assert.True(request.Stderr);
        Assert.False(ShimRequest.Parse("ATTACH", out _)!.Stdout);
    }

    [Fact]
    public void ParsesKillAndResize()
    {
        Assert.Equal(9, ShimRequest.Parse("KILL 9", out _)!.Signal);
        var resize = ShimRequest.Parse("RESIZE 40 120", out _)!;
        Assert.Equal((40, 120), (resize.Height, resize.Width));
    }

    [Theory]
    [InlineData("")]
    [InlineData("KILL")]
    [InlineData("KILL 0")]
    [InlineData("KILL term")]
    [InlineData("RESIZE 40")]
    [InlineData("RESIZE -1 80")]
    [InlineData("START now")]
    [InlineData("ATTACH stdin=yes")]
    [InlineData("ATTACH stdin")]
    [InlineData("FLY")]
    public void RejectsBadLines(string line)
    {
        Assert.Null(ShimRequest.Parse(line, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void RepliesAreSingleLines()
    {
        Assert.Equal("exited 137 1700000000000000000 1\n"u8.ToArray(), ShimReply.Exited(137, 1_700_000_000_000_000_000, true));
        Assert.Equal("error a; b\n"u8.ToArray(), ShimReply.Error("a\n\nb\n"));
        Assert.Equal("running 42\n"u8.ToArray(), ShimReply.Running(42));
    }
}
