using Berth.Api;

namespace Berth.Tests.Api;

public sealed class ApiTimeTests
{
    [Fact]
    public void FormatsLikeGoRfc3339Nano()
    {
        var time = new DateTimeOffset(2026, 11, 28, 1, 46, 40, TimeSpan.Zero).AddTicks(9261539);

        Assert.Equal("2026-11-28T01:46:40.9261539Z", ApiTime.Format(time));
        Assert.Equal("2026-11-28T01:46:40.92Z", ApiTime.Format(time.AddTicks(-61539)));
        Assert.Equal("2026-11-28T01:46:40Z", ApiTime.Format(time.AddTicks(-9261539)));
        Assert.Equal("2026-11-28T01:46:40Z", ApiTime.Format(new DateTimeOffset(2026, 11, 28, 2, 46, 40, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void ParsesNanosecondPrecisionAndTheZeroTime()
    {
        Assert.True(ApiTime.TryParse("2026-11-28T01:46:40.926153933Z", out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 46, 40, TimeSpan.Zero).AddTicks(9261539), time);
        Assert.True(ApiTime.TryParse(ApiTime.Zero, out var zero));
        Assert.Equal(DateTimeOffset.MinValue, zero);
        Assert.False(ApiTime.TryParse("", out _));
    }

    [Fact]
    public void ConvertsToUnixUnits()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1795830421).AddTicks(8784336);

        Assert.Equal(1795830421, ApiTime.ToUnixSeconds(time));
        Assert.Equal(1795830421878433600, ApiTime.ToUnixNanoseconds(time));
    }
}
