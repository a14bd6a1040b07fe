using Berth.GoText;

namespace Berth.Tests.GoText;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5s", 5_000_000_000L)]
    [InlineData("10s", 10_000_000_000L)]
    [InlineData("10m", 600_000_000_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("1h2m3s4ms", 3_723_004_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("250ms", 250_000_000L)]
    [InlineData("2us", 2_000L)]
    [InlineData("2\u00b5s", 2_000L)]
    [InlineData("2\u03bcs", 2_000L)]
    [InlineData("7ns", 7L)]
    [InlineData("+5s", 5_000_000_000L)]
    [InlineData("-1m30s", -90_000_000_000L)]
    [InlineData("1.0000000001s", 1_000_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    public void Parses_go_duration_syntax(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParseNanoseconds(text, out long parsed, out string error), error);
        Assert.Equal(nanoseconds, parsed);
        Assert.Equal(nanoseconds, GoDuration.ParseNanoseconds(text));
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    [InlineData("-250ms", -250)]
    public void Parses_to_a_timespan(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text));
        Assert.True(GoDuration.TryParse(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Fact]
    public void Timespans_keep_microseconds_and_drop_nanoseconds_below_a_tick()
    {
        Assert.Equal(TimeSpan.FromTicks(20), GoDuration.Parse("2us"));
        Assert.Equal(TimeSpan.FromTicks(20), GoDuration.Parse("2\u00b5s"));
        Assert.Equal(TimeSpan.FromTicks(1), GoDuration.Parse("199ns"));
        Assert.Equal(TimeSpan.FromTicks(-1), GoDuration.Parse("-199ns"));
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("abc", "time: invalid duration \"abc\"")]
    [InlineData("10", "time: missing unit in duration \"10\"")]
    [InlineData("5", "time: missing unit in duration \"5\"")]
    [InlineData("1.2.3s", "time: missing unit in duration \"1.2.3s\"")]
    [InlineData("1x", "time: unknown unit \"x\" in duration \"1x\"")]
    [InlineData("5y", "time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("3d", "time: unknown unit \"d\" in duration \"3d\"")]
    [InlineData("5\"", "time: unknown unit \"\\\"\" in duration \"5\\\"\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("99999999999999999999ns", "time: invalid duration \"99999999999999999999ns\"")]
    [InlineData("2562048h", "time: invalid duration \"2562048h\"")]
    [InlineData("2562047h47m16.854775808s", "time: invalid duration \"2562047h47m16.854775808s\"")]
    public void Refuses_what_go_refuses_with_its_message(string text, string message)
    {
        Assert.False(GoDuration.TryParseNanoseconds(text, out _, out string error));
        Assert.Equal(message, error);
        Assert.False(GoDuration.TryParse(text, out _, out error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => GoDuration.ParseNanoseconds(text)).Message);
        Assert.Equal(message, Assert.Throws<FormatException>(() => GoDuration.Parse(text)).Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1ms")]
    [InlineData(500, "500ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(2250, "2.25s")]
    [InlineData(30000, "30s")]
    [InlineData(90000, "1m30s")]
    [InlineData(3600000, "1h0m0s")]
    [InlineData(-90000, "-1m30s")]
    public void Formats_like_gos_duration_string(int milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(1, "100ns")]
    [InlineData(9, "900ns")]
    [InlineData(10, "1\u00b5s")]
    [InlineData(15, "1.5\u00b5s")]
    [InlineData(12_345, "1.2345ms")]
    [InlineData(10_000_001, "1.0000001s")]
    [InlineData(-15, "-1.5\u00b5s")]
    public void Formats_below_a_second_in_the_largest_whole_unit(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Formats_what_it_parses()
    {
        foreach (string text in (string[])["1h0m0s", "25h1m0.5s", "1m30s", "1.5s", "500ms", "1.5\u00b5s", "-2m0.001s"])
            Assert.Equal(text, GoDuration.Format(GoDuration.Parse(text)));
    }

    [Fact]
    public void Nanoseconds_of_a_timespan() =>
        Assert.Equal(90_000_000_000L, GoDuration.ToNanoseconds(TimeSpan.FromSeconds(90)));
}
