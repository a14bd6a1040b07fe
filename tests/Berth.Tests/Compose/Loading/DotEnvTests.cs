using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public class DotEnvTests
{
    private static readonly Dictionary<string, string> Shell = new() { ["HOME"] = "/home/u", ["SHELLONLY"] = "s" };

    private static List<(string, string?)> Parse(string text) =>
        DotEnv.Parse(text, "/p/.env", name => Shell.TryGetValue(name, out var v) ? v : null)
            .Select(pair => (pair.Key, pair.Value)).ToList();

    [Fact]
    public void ReadsPlainAssignmentsCommentsAndBlankLines() =>
        Assert.Equal([("A", "1"), ("B", "two words"), ("C", "")],
            Parse("# comment\nA=1\n\n  B =  two words  \nC=\n   # indented comment\n"));

    [Fact]
    public void AcceptsExportAndCrLf() =>
        Assert.Equal([("A", "1"), ("B", "2")], Parse("export A=1\r\nexport\tB=2\r\n"));

    [Fact]
    public void KeyAloneTakesTheLookupValueOrNull() =>
        Assert.Equal([("SHELLONLY", "s"), ("NOWHERE", null)], Parse("SHELLONLY\nNOWHERE\n"));

    [Fact]
    public void CutsAnInlineCommentOnlyAfterWhitespace() =>
        Assert.Equal([("A", "value"), ("B", "a#b"), ("C", "")], Parse("A=value # note\nB=a#b\nC= # only a comment"));

    [Fact]
    public void SingleQuotesAreLiteral() =>
        Assert.Equal([("A", "$HOME \\n # not a comment")], Parse("A='$HOME \\n # not a comment'"));

    [Fact]
    public void DoubleQuotesUnescapeAndExpand() =>
        Assert.Equal([("A", "line1\nline2\t\"q\" \\ /home/u")], Parse("A=\"line1\\nline2\\t\\\"q\\\" \\\\ $HOME\" # comment"));

    [Fact]
    public void DoubleQuotedValuesMaySpanLines() =>
        Assert.Equal([("A", "first\nsecond"), ("B", "x")], Parse("A=\"first\nsecond\"\nB=x"));

    [Fact]
    public void ExpandsEarlierKeysBeforeTheLookup() =>
        Assert.Equal([("HOME", "/mine"), ("A", "/mine/x"), ("B", "s-${default}"), ("C", "d")],
            Parse("HOME=/mine\nA=$HOME/x\nB=\"${SHELLONLY}-$${default}\"\nC=${NOPE:-d}"));

    [Theory]
    [InlineData("A B=1", 1)]
    [InlineData("OK=1\n=value", 2)]
    [InlineData("OK=1\nnot a line", 2)]
    [InlineData("A=\"closed\" trailing", 1)]
    public void BadLinesNameTheFileAndLine(string text, int line) =>
        Assert.StartsWith($"/p/.env:{line}: ", Assert.Throws<ComposeException>(() => Parse(text)).Message);

    [Fact]
    public void UnterminatedQuoteFails() =>
        Assert.Equal("/p/.env:2: unterminated quoted value",
            Assert.Throws<ComposeException>(() => Parse("OK=1\nA=\"open\nstill open")).Message);
}
