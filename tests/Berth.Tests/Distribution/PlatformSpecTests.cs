using Berth.Engine.Distribution.Manifests;
using Berth.Oci.Errors;

namespace Berth.Tests.Distribution;

public sealed class PlatformSpecTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("LINUX/AMD64", "linux/amd64")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64/v8")]
    [InlineData("linux/arm/v7", "linux/arm/v7")]
    [InlineData("x86_64", "linux/amd64")]
    [InlineData("arm64", "linux/arm64")]
    [InlineData("linux/foo", "linux/foo")]
    public void A_platform_is_parsed_and_normalised_as_containerd_does(string text, string expected)
    {
        Assert.Equal(expected, PlatformSpec.Parse(text).ToString());
    }

    [Fact]
    public void A_lone_operating_system_takes_the_hosts_architecture()
    {
        var parsed = PlatformSpec.Parse("windows");
        Assert.Equal("windows", parsed.Os);
        Assert.Equal(PlatformSpec.Host.Architecture, parsed.Architecture);
    }

    [Theory]
    [InlineData("a/b/c/d", "\"a/b/c/d\": cannot parse platform specifier: invalid argument")]
    [InlineData("linux/*", "\"linux/*\": cannot parse platform specifier: invalid argument")]
    [InlineData("bogus", "\"bogus\": unknown operating system or architecture: invalid argument")]
    [InlineData("linux/", "\"linux/\": unknown operating system or architecture: invalid argument")]
    public void A_bad_platform_is_refused_with_containerds_words(string text, string message)
    {
        var error = Assert.Throws<BerthException>(() => PlatformSpec.Parse(text));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(message, error.Message);
    }
}
