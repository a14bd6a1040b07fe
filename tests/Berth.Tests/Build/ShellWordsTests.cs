using Berth.Build.Dockerfile;
using Berth.Oci.Errors;

namespace Berth.Tests.Build;

public class ShellWordsTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["A"] = "a",
        ["E"] = "",
        ["V"] = "h  i",
        ["PATH"] = "/bin",
        ["é"] = "accent",
    };

    private static string? Lookup(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    private static string Expand(string word, char escape = '\\') => ShellWords.Expand(word, Lookup, escape);

    private static string ErrorOf(string word) =>
        Assert.Throws<BerthException>(() => Expand(word)).Message;

    [Theory]
    [InlineData("$A", "a")]
    [InlineData("${A}", "a")]
    [InlineData("x${A}y$A-z", "xaya-z")]
    [InlineData("$U|${U}", "|")]
    [InlineData("$PATH:/usr/bin", "/bin:/usr/bin")]
    [InlineData("$é", "accent")]
    [InlineData("$", "$")]
    [InlineData("a$ b", "a$ b")]
    [InlineData("$/x", "$/x")]
    [InlineData("$1a${#}b$$", "ab")]
    [InlineData("$@$*$?$!$-$0", "")]
    public void ExpandsVariables(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    // Checked against dockerd 20.10 with A=a, E="" and U unset.
    [InlineData("${A:-x}${U:-y}${E:-z}", "ayz")]
    [InlineData("${A:+p}${U:+q}${E:+r}", "p")]
    [InlineData("${A:-${E:-q}}w", "aw")]
    [InlineData("${U:-${E:-q}}w", "qw")]
    [InlineData("${E?oops}|${A?oops}", "|a")]
    [InlineData("${A:?oops}", "a")]
    [InlineData("${U:-\"x y\"}", "x y")]
    [InlineData("${U:-a\\}b}", "a}b")]
    public void ExpandsModifiers(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData("${A-x}", "failed to process \"${A-x}\": missing ':' in substitution")]
    [InlineData("${A+x}", "failed to process \"${A+x}\": missing ':' in substitution")]
    [InlineData("${U:?oops}", "failed to process \"${U:?oops}\": U: oops")]
    [InlineData("${U?oops}", "failed to process \"${U?oops}\": U: oops")]
    [InlineData("${E:?}", "failed to process \"${E:?}\": E: is not allowed to be empty")]
    [InlineData("${U:?}", "failed to process \"${U:?}\": U: is not allowed to be unset")]
    [InlineData("${U?}", "failed to process \"${U?}\": U: is not allowed to be unset")]
    [InlineData("${A:=x}", "failed to process \"${A:=x}\": unsupported modifier (=) in substitution")]
    [InlineData("${A", "failed to process \"${A\": missing ':' in substitution")]
    [InlineData("${", "failed to process \"${\": syntax error: missing '}'")]
    [InlineData("${}", "failed to process \"${}\": syntax error: bad substitution")]
    [InlineData("${:-x}", "failed to process \"${:-x}\": syntax error: bad substitution")]
    [InlineData("${A:-x", "failed to process \"${A:-x\": syntax error: missing '}'")]
    [InlineData("'x y'\"z\"'", "failed to process \"'x y'\\\"z\\\"'\": unexpected end of statement while looking for matching single-quote")]
    [InlineData("\"x", "failed to process \"\\\"x\": unexpected end of statement while looking for matching double-quote")]
    public void ReportsDockersErrors(string word, string message) => Assert.Equal(message, ErrorOf(word));

    [Theory]
    [InlineData("'a\\b $A'", "a\\b $A")]
    [InlineData("'a\\b $x'\"\\\"\"x", "a\\b $x\"x")]
    [InlineData("\"$A $U\"", "a ")]
    [InlineData("a\\ b\\\\c\\$d", "a b\\c$d")]
    [InlineData("\\\"x", "\"x")]
    [InlineData("x\\", "x")]
    [InlineData("\"x\\\\y\\\\$z\\\\\\\\ \\\\\\\"\"", "x\\y\\\\\\ \\\"")]
    [InlineData("\"\\a\\'\"", "\\a\\'")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("  keep  spaces  ", "  keep  spaces  ")]
    public void RemovesQuotesAndEscapes(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData("C:\\path `$A", "C:\\path $A")]
    [InlineData("\"a`\"b`$A\\\"", "a\"b$A\\")]
    [InlineData("x``y", "x`y")]
    public void HonoursABacktickEscape(string word, string expected) => Assert.Equal(expected, Expand(word, '`'));

    [Theory]
    [InlineData("a \"b c\" 'd e'  f\\ g $V", new[] { "a", "b c", "d e", "f g", "h", "i" })]
    [InlineData("\"$V\"", new[] { "h  i" })]
    [InlineData("\"\" x ''", new[] { "x" })]
    [InlineData("a\"\"b", new[] { "ab" })]
    [InlineData("  ", new string[0])]
    [InlineData("pre$V\"post\"", new[] { "preh", "ipost" })]
    [InlineData("${U:-\"x y\"} z", new[] { "x", "y", "z" })]
    public void SplitsWordsAfterExpansion(string text, string[] expected) =>
        Assert.Equal(expected, ShellWords.ExpandWords(text, Lookup, '\\'));

    [Fact]
    public void WrapsErrorsFromWordLists() =>
        Assert.Equal("failed to process \"a 'b\": unexpected end of statement while looking for matching single-quote",
            Assert.Throws<BerthException>(() => ShellWords.ExpandWords("a 'b", Lookup, '\\')).Message);
}
