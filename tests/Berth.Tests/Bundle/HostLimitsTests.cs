using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Bundle;

public sealed class HostLimitsTests
{
    [Fact]
    public void Proc_limits_are_parsed_by_row_name()
    {
        const string text = """
            Limit                     Soft Limit           Hard Limit           Units     
            Max cpu time              unlimited            unlimited            seconds   
            Max stack size            8388608              unlimited            bytes     
            Max processes             96364                96364                processes 
            Max open files            1024                 20000                files     
            Max realtime timeout      unlimited            unlimited            us        
            """;

        var limits = ProcLimits.ParseHardLimits(text);

        Assert.Equal(20000ul, limits["RLIMIT_NOFILE"]);
        Assert.Equal(96364ul, limits["RLIMIT_NPROC"]);
        Assert.Equal(ulong.MaxValue, limits["RLIMIT_STACK"]);
        Assert.Equal(ulong.MaxValue, limits["RLIMIT_RTTIME"]);
    }

    [Theory]
    [InlineData("6.18.44-1-amd64", 6, 18, 44)]
    [InlineData("5.10.0", 5, 10, 0)]
    [InlineData("4.8-rc1", 4, 8, -1)]
    public void Kernel_release_is_parsed(string release, int major, int minor, int build)
    {
        var version = HostLimits.ParseKernelVersion(release);

        Assert.Equal((major, minor, build), (version.Major, version.Minor, version.Build));
    }

    [Fact]
    public void The_running_host_is_read()
    {
        var host = HostLimits.Read();

        Assert.True(host.KernelVersion.Major >= 3);
        Assert.True(host.HardRlimits.ContainsKey("RLIMIT_NOFILE"));
        Assert.True(host.LastCapability >= 36);
        Assert.True(host.HasCapability(0) || host.CapabilityBoundingSet == 0);
    }
}
