using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Tests.Bundle;

public sealed class TmpfsOptionsTests
{
    [Theory]
    [InlineData("", "noexec,nosuid,nodev,rprivate")]
    [InlineData("rw,noexec,size=64m", "nosuid,nodev,rprivate,rw,noexec,size=64m")]
    [InlineData("exec,shared,size=1k,size=2k", "nosuid,nodev,exec,shared,size=2k")]
    [InlineData("ro,mode=1777,uid=1000", "noexec,nosuid,nodev,rprivate,ro,mode=1777,uid=1000")]
    public void Later_options_win(string given, string expected)
    {
        Assert.Equal(expected.Split(','), TmpfsOptions.Build(given));
    }

    [Fact]
    public void Unknown_options_are_refused()
    {
        Assert.Throws<BerthException>(() => TmpfsOptions.Build("bogus"));
        Assert.Throws<BerthException>(() => TmpfsOptions.Build("color=red"));
    }

    [Theory]
    [InlineData(1000000L, 0x1C0u, false, "mode=700,size=1000000")]
    [InlineData(64L << 20, 0u, true, "ro,size=64m")]
    [InlineData(2L << 30, 0x3FFu, false, "mode=1777,size=2g")]
    [InlineData(0L, 0u, false, "")]
    public void Mount_options_are_written_as_docker_does(long size, uint mode, bool readOnly, string expected)
    {
        Assert.Equal(expected, TmpfsOptions.FromMountOptions(size, mode, readOnly));
    }
}
