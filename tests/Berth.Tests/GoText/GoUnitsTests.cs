using Berth.GoText;

namespace Berth.Tests.GoText;

public sealed class GoUnitsTests
{
    [Theory]
    [InlineData("64", 64L)]
    [InlineData("1 k", 1024L)]
    [InlineData("10mib", 10485760L)]
    [InlineData("1.5GB", 1610612736L)]
    [InlineData("8p", 8L << 50)]
    public void Ram_in_bytes_reads_go_units_forms(string text, long bytes)
    {
        Assert.True(GoUnits.TryParseRamInBytes(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData(" 1k")]
    [InlineData(".5g")]
    [InlineData("1.2.3m")]
    [InlineData("9000000p")]
    public void Text_go_units_refuses_or_a_size_beyond_a_long_is_not_a_size(string text) =>
        Assert.False(GoUnits.TryParseRamInBytes(text, out _));
}
