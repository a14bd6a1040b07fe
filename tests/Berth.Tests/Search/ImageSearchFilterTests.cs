using Berth.Daemon.Endpoints;
using Berth.Daemon.Http;
using Berth.Engine.Distribution.Search;
using Berth.Oci.Errors;

namespace Berth.Tests.Search;

public sealed class ImageSearchFilterTests
{
    private static readonly RegistrySearchResult Official = new("busybox", "tiny", 12, IsOfficial: true, IsAutomated: false);
    private static readonly RegistrySearchResult Automated = new("team/app", "", 3, IsOfficial: false, IsAutomated: true);

    private static ImageSearchFilter Parse(string json) => ImageSearchFilter.Parse(Filters.Parse(json));

    [Fact]
    public void No_filter_matches_everything()
    {
        var filter = Parse("");
        Assert.True(filter.Matches(Official));
        Assert.True(filter.Matches(Automated));
    }

    [Fact]
    public void Official_and_automated_take_true_or_false_in_both_json_forms()
    {
        Assert.True(Parse("{\"is-official\":{\"true\":true}}").Matches(Official));
        Assert.False(Parse("{\"is-official\":[\"true\"]}").Matches(Automated));
        Assert.True(Parse("{\"is-official\":[\"false\"]}").Matches(Automated));
        Assert.True(Parse("{\"is-automated\":[\"true\"]}").Matches(Automated));
        Assert.False(Parse("{\"is-automated\":[\"true\"]}").Matches(Official));
    }

    [Fact]
    public void Stars_keeps_results_with_at_least_the_largest_value_given()
    {
        var filter = Parse("{\"stars\":[\"2\",\"5\"]}");
        Assert.Equal(5, filter.MinimumStars);
        Assert.True(filter.Matches(Official));
        Assert.False(filter.Matches(Automated));
        Assert.True(Parse("{\"stars\":[\"-3\"]}").Matches(Automated));
    }

    [Theory]
    [InlineData("{\"foo\":[\"bar\"]}", "Invalid filter 'foo'")]
    [InlineData("{\"stars\":[\"x\"]}", "Invalid filter 'stars=x'")]
    [InlineData("{\"is-official\":[\"yes\"]}", "Invalid filter 'is-official=[yes]'")]
    [InlineData("{\"is-official\":[\"1\"]}", "Invalid filter 'is-official=[1]'")]
    [InlineData("{\"is-official\":[\"true\",\"false\"]}", "Invalid filter 'is-official=[false true]'")]
    [InlineData("{\"is-automated\":{\"maybe\":true}}", "Invalid filter 'is-automated=[maybe]'")]
    public void Bad_filters_get_dockerds_messages(string json, string message)
    {
        var error = Assert.Throws<BerthException>(() => Parse(json));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(null, 25)]
    [InlineData("", 25)]
    [InlineData("7", 7)]
    [InlineData("+3", 3)]
    [InlineData("0", 0)]
    public void Limit_is_read_as_docker_reads_it(string? text, int expected) => Assert.Equal(expected, SearchEndpoints.Limit(text));

    [Theory]
    [InlineData("x", "strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("99999999999", "strconv.Atoi: parsing \"99999999999\": value out of range")]
    public void A_bad_limit_is_a_plain_error(string text, string message)
    {
        var error = Assert.Throws<BerthException>(() => SearchEndpoints.Limit(text));
        Assert.Equal(ErrorKind.Internal, error.Kind);
        Assert.Equal(message, error.Message);
    }
}
