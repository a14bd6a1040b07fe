using Berth.Oci.Errors;
using Berth.Registry.Configuration;

namespace Berth.Registry.Tests.Configuration;

/// <summary>Durations in the config are read with Go's syntax, as docker-registry reads them, but only zero or more.</summary>
public sealed class DurationSettingTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("300ms", 3_000_000L)]
    [InlineData("10s", 100_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("168h", 6_048_000_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData("5us", 50L)]
    public void Reads_go_durations(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), RegistrySettings.ParseDuration("http.draintimeout", text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5d")]
    [InlineData("abc")]
    [InlineData("1.2.3s")]
    [InlineData("-5s")]
    public void Refuses_others_with_the_key_in_the_message(string text)
    {
        var error = Assert.Throws<BerthException>(() => RegistrySettings.ParseDuration("proxy.ttl", text));
        Assert.Equal($"config proxy.ttl: \"{text}\" is not a duration like 30s, 5m or 168h", error.Message);
    }

    [Fact]
    public void Settings_read_their_durations_with_it()
    {
        var settings = RegistrySettings.FromKeys(new Dictionary<string, string> { ["http.draintimeout"] = "1m30s" });
        Assert.Equal(TimeSpan.FromSeconds(90), settings.DrainTimeout);
        Assert.Throws<BerthException>(() => RegistrySettings.FromKeys(new Dictionary<string, string> { ["http.draintimeout"] = "90" }));
    }
}
