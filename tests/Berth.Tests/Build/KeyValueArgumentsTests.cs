using Berth.Build.Dockerfile;
using Berth.Oci.Errors;

namespace Berth.Tests.Build;

public class KeyValueArgumentsTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["X"] = "1", ["K"] = "Z", ["E"] = "" };

    private static string? Lookup(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    private static List<(string, string)> Env(string arguments, char escape = '\\') =>
        KeyValueArguments.Parse("ENV", arguments, Lookup, escape).Select(p => (p.Key, p.Value)).ToList();

    [Fact]
    public void ReadsNameValuePairs() =>
        Assert.Equal([("a", "1"), ("b", "x y"), ("c", "d e"), ("d", ""), ("e", "it's")],
            Env("a=1 b=\"x y\" c=d\\ e d= e=\"it's\""));

    [Fact]
    public void ReadsTheLegacyForm()
    {
        // Checked against dockerd 20.10: ENV X  "a b"  c  gives X='a b  c'.
        Assert.Equal([("X", "a b  c")], Env("X  \"a b\"  c "));
        Assert.Equal([("PATH", "/x:1")], Env("PATH /x:$X"));
        Assert.Equal([("A", "b=c d")], Env("A b=c d"));
    }

    [Fact]
    public void ExpandsEveryPairWithTheVariablesFromBefore()
    {
        // Checked against dockerd 20.10: ENV X=1 then ENV X=2 Y=$X gives Y=1.
        Assert.Equal([("X", "2"), ("Y", "1")], Env("X=2 Y=$X"));
        Assert.Equal([("Z", "1")], Env("$K=1"));
        Assert.Equal([("a", "1-")], Env("a=${X}-$UNSET"));
    }

    [Fact]
    public void KeepsQuotedAndEscapedText() =>
        Assert.Equal([("a", "$X"), ("b", "q\"q"), ("c", "1 2")], Env("a='$X' b=\"q\\\"q\" c=\"$X 2\""));

    [Fact]
    public void HonoursABacktickEscape() =>
        Assert.Equal([("a", "x y"), ("p", "C:\\dir")], Env("a=x` y p=C:\\dir", '`'));

    [Fact]
    public void LabelsWorkTheSameWay()
    {
        var labels = KeyValueArguments.Parse("LABEL", "com.example.v=\"1.0\" \"quoted key\"=v", Lookup, '\\');

        Assert.Equal([new("com.example.v", "1.0"), new("quoted key", "v")], labels);
    }

    [Theory]
    [InlineData("ENV", "", "ENV requires at least one argument")]
    [InlineData("ENV", "=x", "ENV names can not be blank")]
    [InlineData("ENV", "a=1 b", "Syntax error - can't find = in \"b\". Must be of the form: name=value")]
    [InlineData("ENV", "foo", "ENV must have two arguments")]
    [InlineData("LABEL", "foo", "LABEL must have two arguments")]
    [InlineData("label", "=v", "LABEL names can not be blank")]
    [InlineData("ENV", "a=\"x", "failed to process \"\\\"x\": unexpected end of statement while looking for matching double-quote")]
    [InlineData("ENV", "a=${X-1}", "failed to process \"${X-1}\": missing ':' in substitution")]
    public void ReportsDockersErrors(string keyword, string arguments, string message) =>
        Assert.Equal(message, Assert.Throws<BerthException>(() => KeyValueArguments.Parse(keyword, arguments, Lookup, '\\')).Message);

    [Theory]
    [InlineData("A", "A", null)]
    [InlineData("A=", "A", "")]
    [InlineData("A=x", "A", "x")]
    [InlineData("A=\"a b\"", "A", "a b")]
    [InlineData("A=$X", "A", "1")]
    [InlineData("A=${E:-d}", "A", "d")]
    [InlineData("$K=1", "Z", "1")]
    [InlineData("A=x=y", "A", "x=y")]
    public void ReadsOneArg(string arguments, string name, string? defaultValue) =>
        Assert.Equal([(name, defaultValue)], KeyValueArguments.ParseArgs(arguments, Lookup, '\\'));

    [Fact]
    public void ReadsSeveralArgs()
    {
        // Checked against dockerd 20.10: ARG B=$A C="a b" D is accepted and sets all three.
        Assert.Equal([("B", "1"), ("C", "a b"), ("D", null)], KeyValueArguments.ParseArgs("B=$X C=\"a b\" D", Lookup, '\\'));
    }

    [Theory]
    [InlineData("", "ARG requires at least one argument")]
    [InlineData("=x", "ARG names can not be blank")]
    [InlineData("A B=1 =2", "ARG names can not be blank")]
    [InlineData("A=${X", "failed to process \"${X\": missing ':' in substitution")]
    public void ReportsArgErrors(string arguments, string message) =>
        Assert.Equal(message, Assert.Throws<BerthException>(() => KeyValueArguments.ParseArgs(arguments, Lookup, '\\')).Message);
}
