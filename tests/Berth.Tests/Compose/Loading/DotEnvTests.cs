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
    public void Reads_plain_assignments_comments_and_blank_lines() =>
        Assert.Equal([("A", "1"), ("B", "two words"), ("C", "")],
            Parse("# comment\nA=1\n\n  B =  two words  \nC=\n   # indented comment\n"));

    [Fact]
    public void Accepts_export_and_cr_lf() =>
        Assert.Equal([("A", "1"), ("B", "2")], Parse("export A=1\r\nexport\tB=2\r\n"));

    [Fact]
    public void Key_alone_takes_the_lookup_value_or_null() =>
        Assert.Equal([("SHELLONLY", "s"), ("NOWHERE", null)], Parse("SHELLONLY\nNOWHERE\n"));

    [Fact]
    public void Cuts_an_inline_comment_only_after_whitespace() =>
        Assert.Equal([("A", "value"), ("B", "a#b"), ("C", "")], Parse("A=value # note\nB=a#b\nC= # only a comment"));

    [Fact]
    public void Single_quotes_are_literal() =>
        Assert.Equal([("A", "$HOME \\n # not a comment")], Parse("A='$HOME \\n # not a comment'"));

    [Fact]
    public void Double_quotes_unescape_and_expand() =>
        Assert.Equal([("A", "line1\nline2\t\"q\" \\ /home/u")], Parse("A=\"line1\\nline2\\t\\\"q\\\" \\\\ $HOME\" # comment"));

    [Fact]
    public void Double_quoted_values_may_span_lines() =>
        Assert.Equal([("A", "first\nsecond"), ("B", "x")], Parse("A=\"first\nsecond\"\nB=x"));

    [Fact]
    public void Expands_earlier_keys_before_the_lookup() =>
        Assert.Equal([("HOME", "/mine"), ("A", "/mine/x"), ("B", "s-${default}"), ("C", "d")],
            Parse("HOME=/mine\nA=$HOME/x\nB=\"${SHELLONLY}-$${default}\"\nC=${NOPE:-d}"));

    [Theory]
    [InlineData("A B=1", 1)]
    [InlineData("OK=1\n=value", 2)]
    [InlineData("OK=1\nnot a line", 2)]
    [InlineData("A=\"closed\" trailing", 1)]
    public void Bad_lines_name_the_file_and_line(string text, int line) =>
        Assert.StartsWith($"/p/.env:{line}: ", Assert.Throws<ComposeException>(() => Parse(text)).Message);

    [Fact]
    public void Unterminated_quote_fails() =>
        Assert.Equal("/p/.env:2: unterminated quoted value",
            Assert.Throws<ComposeException>(() => Parse("OK=1\nA=\"open\nstill open")).Message);
}
