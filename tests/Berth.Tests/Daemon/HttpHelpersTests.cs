using Berth.Daemon.Endpoints;
using Berth.Daemon.Http;
using Berth.Oci.Errors;

namespace Berth.Tests.Daemon;

public sealed class HttpHelpersTests
{
    [Fact]
    public void Filters_accept_both_json_forms()
    {
        var lists = Filters.Parse("{\"label\":[\"a=b\",\"c\"],\"status\":[\"running\"]}");
        var maps = Filters.Parse("{\"label\":{\"a=b\":true,\"c\":true},\"status\":{\"running\":true}}");
        foreach (var filters in new[] { lists, maps })
        {
            Assert.True(filters.MatchLabels("label", new Dictionary<string, string> { ["a"] = "b", ["c"] = "x" }));
            Assert.False(filters.MatchLabels("label", new Dictionary<string, string> { ["a"] = "z", ["c"] = "x" }));
            Assert.True(filters.Match("status", s => s == "running"));
        }
    }

    [Fact]
    public void Negated_label_filter_excludes_any_match()
    {
        var filters = Filters.Parse("{\"label!\":[\"a=b\",\"c\"]}");
        Assert.False(filters.MatchNoLabels("label!", new Dictionary<string, string> { ["a"] = "b" }));
        Assert.False(filters.MatchNoLabels("label!", new Dictionary<string, string> { ["c"] = "x" }));
        Assert.True(filters.MatchNoLabels("label!", new Dictionary<string, string> { ["a"] = "z" }));
        Assert.True(filters.MatchNoLabels("label!", null));
        Assert.True(Filters.Parse(null).MatchNoLabels("label!", new Dictionary<string, string> { ["a"] = "b" }));
    }

    [Fact]
    public void Filters_refuse_unknown_keys_with_dockers_message()
    {
        var error = Assert.Throws<BerthException>(() => Filters.Parse("{\"bogus\":[\"x\"]}").Validate("label"));
        Assert.Equal("invalid filter 'bogus'", error.Message);
    }

    [Theory]
    [InlineData("busybox*", "busybox:latest", true)]
    [InlineData("busy?ox", "busybox", true)]
    [InlineData("*", "user/app", false)]
    [InlineData("user/*", "user/app", true)]
    public void Glob_matches_like_go_path_match(string pattern, string text, bool expected) => Assert.Equal(expected, Glob.Matches(pattern, text));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(42, "42 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(600, "10 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(7200, "2 hours")]
    [InlineData(3 * 86400, "3 days")]
    public void Human_durations_match_go_units(double seconds, string expected) => Assert.Equal(expected, HumanDuration.Of(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("10m", 1_699_999_400_000_000_000L)]
    [InlineData("1h30m", 1_699_994_600_000_000_000L)]
    [InlineData("250ms", 1_699_999_999_750_000_000L)]
    public void Event_times_accept_a_go_duration_before_now(string text, long unixNanos) =>
        Assert.Equal(unixNanos, EventEndpoints.ParseTime(text, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

    [Fact]
    public void Event_times_accept_unix_seconds_with_fractions()
    {
        Assert.Equal(1_700_000_000_500_000_000L, EventEndpoints.ParseTime("1700000000.5", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Times_beyond_the_nanosecond_range_read_as_its_ends()
    {
        // What Docker.DotNet (Testcontainers' GetLogsAsync) sends for DateTime.MinValue and DateTime.MaxValue.
        Assert.Equal(long.MinValue, EventEndpoints.ParseTime("-62135596800", DateTimeOffset.UtcNow));
        Assert.Equal(long.MaxValue, EventEndpoints.ParseTime("253402300799.9999999", DateTimeOffset.UtcNow));
    }
}
