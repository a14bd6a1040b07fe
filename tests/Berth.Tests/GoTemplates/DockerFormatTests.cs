using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>The docker CLI's reading of a list command's --format value.</summary>
public sealed class DockerFormatTests
{
    [Theory]
    [InlineData("table {{.ID}}\\t{{.Image}}", true, "{{.ID}}\t{{.Image}}")]
    [InlineData("table", true, "")]
    [InlineData("tablefoo", true, "foo")]
    [InlineData("{{.ID}}\\n", false, "{{.ID}}\n")]
    [InlineData("  {{.ID}}  ", false, "{{.ID}}")]
    [InlineData("json", false, "json")]
    [InlineData(" table {{.ID}}", false, "table {{.ID}}")]
    public void SplitsTablePrefixAndUnescapes(string format, bool isTable, string rest)
    {
        Assert.Equal(isTable, DockerFormat.IsTable(format, out var actual));
        Assert.Equal(rest, actual);
    }

    [Fact]
    public void OnlyTheTwoEscapesAreReplaced() => Assert.Equal("a\tb\nc\\rd", DockerFormat.Prepare("a\\tb\\nc\\rd"));
}
