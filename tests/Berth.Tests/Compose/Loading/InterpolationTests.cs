using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public class InterpolationTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["A"] = "alpha", ["EMPTY"] = "", ["B"] = "beta" };

    private static string? Lookup(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    private static string Expand(string value) => Interpolation.Expand(value, Lookup, "services.web.image");

    [Theory]
    [InlineData("$A", "alpha")]
    [InlineData("${A}", "alpha")]
    [InlineData("x-${A}-$B.y", "x-alpha-beta.y")]
    [InlineData("$UNSET|${UNSET}", "|")]
    [InlineData("no dollar", "no dollar")]
    public void Expands_plain_and_braced_names(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${A:-d}", "alpha")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("${UNSET:-}", "")]
    public void AppliesDefaults(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("${A:+r}", "r")]
    [InlineData("${EMPTY:+r}", "")]
    [InlineData("${EMPTY+r}", "r")]
    [InlineData("${UNSET+r}", "")]
    [InlineData("${UNSET:+r}", "")]
    public void AppliesAlternatives(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("${UNSET:-${B}}", "beta")]
    [InlineData("${UNSET:-${NOPE:-deep}}-x", "deep-x")]
    [InlineData("${A:+<${B}>}", "<beta>")]
    [InlineData("${UNSET:-a}${UNSET:-b}", "ab")]
    public void Expands_nested_arguments(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("$$A", "$A")]
    [InlineData("$${A}", "${A}")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("$1 and $ alone", "$1 and $ alone")]
    public void Keeps_escaped_and_stray_dollars(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("${A:?must be set}", "alpha")]
    [InlineData("${EMPTY?must be set}", "")]
    public void Required_variables_that_are_set_expand(string value, string expected) => Assert.Equal(expected, Expand(value));

    [Theory]
    [InlineData("${UNSET:?must be set}", "required variable UNSET is missing a value: must be set")]
    [InlineData("${EMPTY:?must be set}", "required variable EMPTY is missing a value: must be set")]
    [InlineData("${UNSET?}", "required variable UNSET is missing a value")]
    [InlineData("${UNSET:?need $A}", "required variable UNSET is missing a value: need alpha")]
    public void Missing_required_variables_fail(string value, string message) =>
        Assert.Equal(message, Assert.Throws<ComposeException>(() => Expand(value)).Message);

    [Theory]
    [InlineData("${}")]
    [InlineData("${A")]
    [InlineData("x ${1A}")]
    [InlineData("${A%x}")]
    [InlineData("${A:}")]
    [InlineData("${A:x}")]
    [InlineData("${UNSET:-${B}")]
    public void Invalid_syntax_names_the_path_and_the_value(string value) =>
        Assert.Equal(
            $"invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\n{value}",
            Assert.Throws<ComposeException>(() => Expand(value)).Message);
}
