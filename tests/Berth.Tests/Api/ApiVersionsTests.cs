using Berth.Api;

namespace Berth.Tests.Api;

public sealed class ApiVersionsTests
{
    [Theory]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("1.41", "1.41", 0)]
    [InlineData("1.50", "1.44", 1)]
    [InlineData("v1.24", "1.24", 0)]
    [InlineData("junk", "1.24", -1)]
    public void ComparesNumerically(string left, string right, int expectedSign) =>
        Assert.Equal(expectedSign, Math.Sign(ApiVersions.Compare(left, right)));

    [Theory]
    [InlineData("1.24", true)]
    [InlineData("1.50", true)]
    [InlineData("1.23", false)]
    [InlineData("1.51", false)]
    [InlineData("", false)]
    [InlineData("1.x", false)]
    public void SupportsMinimumThroughCurrent(string version, bool supported) =>
        Assert.Equal(supported, ApiVersions.IsSupported(version));

    [Fact]
    public void ParsesMajorAndMinor()
    {
        Assert.Equal(new ApiVersion(1, 41), ApiVersions.Parse("1.41"));
        Assert.Equal("1.41", ApiVersions.Parse("v1.41").ToString());
        Assert.True(ApiVersions.LessThan("1.41", ApiVersions.VirtualSizeRemoved));
        Assert.Throws<FormatException>(() => ApiVersions.Parse("one"));
    }
}
