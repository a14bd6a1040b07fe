using Berth.Engine.Distribution.Manifests;

namespace Berth.Tests.Distribution;

public class PlatformMatcherTests
{
    private static Descriptor Entry(string os, string arch, string? variant = null, string digestChar = "a", Dictionary<string, string>? annotations = null) =>
        new()
        {
            MediaType = "application/vnd.oci.image.manifest.v1+json",
            Digest = "sha256:" + new string(digestChar[0], 64),
            Size = 1,
            Platform = new PlatformSpec { Os = os, Architecture = arch, Variant = variant },
            Annotations = annotations,
        };

    private static readonly Descriptor[] Index =
    [
        Entry("linux", "arm", "v6", "1"),
        Entry("linux", "arm", "v7", "2"),
        Entry("linux", "arm64", "v8", "3"),
        Entry("linux", "amd64", null, "4"),
        Entry("windows", "amd64", null, "5"),
        Entry("unknown", "unknown", null, "6", new() { ["vnd.docker.reference.type"] = "attestation-manifest" }),
        Entry("linux", "s390x", null, "7"),
    ];

    private static string? Pick(string platform) => PlatformMatcher.Select(Index, PlatformSpec.Parse(platform))?.Digest?[7..8];

    [Theory]
    [InlineData("linux/amd64", "4")]
    [InlineData("linux/amd64/v1", "4")]
    [InlineData("linux/x86_64", "4")]
    [InlineData("linux/arm64", "3")]
    [InlineData("linux/aarch64/v8", "3")]
    [InlineData("linux/arm/v7", "2")]
    [InlineData("linux/arm", "2")]
    [InlineData("linux/arm/v6", "1")]
    [InlineData("windows/amd64", "5")]
    [InlineData("linux/s390x", "7")]
    public void Chooses_the_daemon_platform(string platform, string expected) => Assert.Equal(expected, Pick(platform));

    [Theory]
    [InlineData("linux/ppc64le")]
    [InlineData("linux/arm/v5")]
    [InlineData("unknown/unknown")]
    public void Nothing_when_no_entry_runs(string platform) => Assert.Null(Pick(platform));

    [Fact]
    public void An_arm_v8_host_takes_the_closest_older_variant()
    {
        var entries = new[] { Entry("linux", "arm", "v6", "1"), Entry("linux", "arm", "v7", "2") };
        Assert.Equal("sha256:" + new string('2', 64), PlatformMatcher.Select(entries, new PlatformSpec { Os = "linux", Architecture = "arm", Variant = "v8" })?.Digest);
    }

    [Fact]
    public void Amd64_entries_with_a_newer_microarchitecture_level_are_not_chosen()
    {
        var entries = new[] { Entry("linux", "amd64", "v3", "1"), Entry("linux", "amd64", null, "2") };
        Assert.Equal("sha256:" + new string('2', 64), PlatformMatcher.Select(entries, new PlatformSpec { Os = "linux", Architecture = "amd64" })?.Digest);
        Assert.Null(PlatformMatcher.Select(entries.Take(1), new PlatformSpec { Os = "linux", Architecture = "amd64" }));
    }

    [Fact]
    public void Host_platform_is_linux() => Assert.Equal("linux", PlatformSpec.Host.Os);
}
