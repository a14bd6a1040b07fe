using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;

namespace Berth.Tests.Shim;

public class ShimRepliesTests
{
    [Fact]
    public void ParsesStates()
    {
        Assert.Equal(new ShimState("running", 42, null), ShimReplies.ParseState("running 42"));
        Assert.Equal(new ShimState("created", 7, null), ShimReplies.ParseState("created 7"));

        var exited = ShimReplies.ParseState("exited 137 1795831724381986859 1");
        Assert.Equal("exited", exited.Status);
        Assert.Equal(137, exited.Exit!.ExitCode);
        Assert.True(exited.Exit.OomKilled);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 2, 8, 44, TimeSpan.Zero).AddTicks(3_819_868), exited.Exit.FinishedAt);
    }

    [Theory]
    [InlineData("exited 1 2")]
    [InlineData("exited x 2 0")]
    [InlineData("exited 1 2 maybe")]
    [InlineData("running")]
    [InlineData("paused 3")]
    public void RejectsMalformedStates(string line) =>
        Assert.Equal(ErrorKind.Internal, Assert.Throws<BerthException>(() => ShimReplies.ParseState(line)).Kind);

    [Fact]
    public void RecognisesErrors()
    {
        Assert.Equal("container x is not running", ShimReplies.Error("error container x is not running"));
        Assert.Null(ShimReplies.Error("ok"));
    }

    [Fact]
    public void ClassifiesRuntimeErrorsLikeDocker()
    {
        Assert.Equal(ErrorKind.Invalid, ShimErrors.FromRuntime(
            "runc create failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH").Kind);
        Assert.Equal(ErrorKind.Internal, ShimErrors.FromRuntime("runc create failed: cgroup setup failed").Kind);
    }

    [Fact]
    public void ParsesNineDigitTimestamps()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero).AddTicks(1_234_567),
            Rfc3339Nano.Parse("2026-11-28T01:02:03.123456789Z"));
        Assert.Null(Rfc3339Nano.Parse("yesterday"));
    }

    [Fact]
    public void ReadsExitFile()
    {
        string dir = Directory.CreateTempSubdirectory("berth-exit").FullName;
        try
        {
            Assert.Null(ShimClient.ReadExitFile(dir));
            File.WriteAllText(Path.Combine(dir, "exit.json"), "{\"exitCode\":3,\"finishedAt\":\"2026-11-28T01:02:03.000000100Z\",\"oomKilled\":false}\n");
            Assert.Equal(new ShimExit(3, new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero).AddTicks(1), false), ShimClient.ReadExitFile(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
