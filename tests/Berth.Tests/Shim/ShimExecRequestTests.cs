using Berth.Shim.Protocol;

namespace Berth.Tests.Shim;

public class ShimExecRequestTests
{
    [Fact]
    public void ParsesExecWithItsOptions()
    {
        var request = ShimRequest.Parse("EXEC abc123 tty=1 stdin=1 stdout=1 stderr=0 height=30 width=100 future=x", out _)!;

        Assert.Equal(ShimCommand.Exec, request.Command);
        Assert.Equal("abc123", request.ExecId);
        Assert.True(request.Tty);
        Assert.True(request.Stdin);
        Assert.True(request.Stdout);
        Assert.False(request.Stderr);
        Assert.Equal(30, request.Height);
        Assert.Equal(100, request.Width);
    }

    [Theory]
    [InlineData("EXEC")]
    [InlineData("EXEC ../etc")]
    [InlineData("EXEC abc tty=2")]
    [InlineData("EXEC abc height=x")]
    [InlineData("WAIT exec=a/b")]
    public void RefusesBadExecLines(string line)
    {
        Assert.Null(ShimRequest.Parse(line, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void WaitAndResizeAddressAnExec()
    {
        var wait = ShimRequest.Parse("WAIT exec=e1", out _)!;
        var resize = ShimRequest.Parse("RESIZE 10 20 exec=e1", out _)!;

        Assert.Equal((ShimCommand.Wait, "e1"), (wait.Command, wait.ExecId));
        Assert.Equal((ShimCommand.Resize, "e1", 10, 20), (resize.Command, resize.ExecId, resize.Height, resize.Width));
        Assert.Null(ShimRequest.Parse("WAIT", out _)!.ExecId);
    }
}
