using Berth.Api;

namespace Berth.Tests.Engine;

public sealed class Rfc3339Tests
{
    [Fact]
    public void Formats_like_go_rfc3339nano()
    {
        var time = new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero).AddTicks(1234500);
        Assert.Equal("2026-11-28T01:02:03.12345Z", ApiTime.Format(time));
        Assert.Equal("2026-11-28T01:02:03Z", ApiTime.Format(new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero)));
    }

    [Fact]
    public void Parses_nine_fractional_digits()
    {
        Assert.True(ApiTime.TryParse("2026-11-28T01:02:03.123456789Z", out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero).AddTicks(1234567), time);
    }
}
