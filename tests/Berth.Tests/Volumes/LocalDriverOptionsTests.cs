using Berth.Engine.Volumes;
using Berth.Oci.Errors;

namespace Berth.Tests.Volumes;

public sealed class LocalDriverOptionsTests
{
    [Theory]
    [InlineData("foo", "bar", "create v1: invalid option: \"foo\"")]
    [InlineData("o", "size=1m", "create v1: missing required option: \"device\"")]
    public void Unknown_or_incomplete_options_are_refused_as_dockerd_does(string key, string value, string message)
    {
        var error = Assert.Throws<BerthException>(() => LocalDriverOptions.Validate("v1", new Dictionary<string, string> { [key] = value }));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_tmpfs_volume_needs_a_mount_and_a_plain_one_does_not()
    {
        var tmpfs = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m" };
        LocalDriverOptions.Validate("v1", tmpfs);
        Assert.True(LocalDriverOptions.NeedsMount(tmpfs));
        Assert.False(LocalDriverOptions.NeedsMount(new Dictionary<string, string>()));
        Assert.False(LocalDriverOptions.NeedsMount(null));
    }

    [Fact]
    public void Option_words_that_are_flags_become_flags_and_the_rest_data()
    {
        var (flags, data) = LocalDriverOptions.Parse("size=1m,ro,nosuid,uid=1000,bind");
        Assert.Equal(1UL | 2UL | 4096UL, flags);
        Assert.Equal("size=1m,uid=1000", data);
    }

    [Theory]
    [InlineData("x", "volume name is too short")]
    [InlineData("a/b", "includes invalid characters")]
    [InlineData("-ab", "includes invalid characters")]
    public void Volume_names_follow_the_local_drivers_rules(string name, string message)
    {
        var error = Assert.Throws<BerthException>(() => VolumeNames.Validate(name));
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"create {name}: ", error.Message);
    }

    [Fact]
    public void Anonymous_names_are_64_hex_digits()
    {
        var name = VolumeNames.NewAnonymous();
        Assert.Matches("^[0-9a-f]{64}$", name);
        VolumeNames.Validate(name);
    }
}
