using Berth.Engine.Containers.Health;

namespace Berth.Tests.Health;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(30000, "30s")]
    [InlineData(90000, "1m30s")]
    [InlineData(3600000, "1h0m0s")]
    [InlineData(1, "1ms")]
    [InlineData(2250, "2.25s")]
    public void Formats_like_gos_duration_string(int milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
