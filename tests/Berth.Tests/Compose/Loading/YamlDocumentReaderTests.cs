using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public class YamlDocumentReaderTests
{
    private static JsonObject Read(string yaml) => Assert.Single(YamlDocumentReader.ReadDocuments(yaml, "compose.yaml"));

    private static string Json(string yaml) => Read(yaml).ToJsonString();

    private static string Error(string yaml) =>
        Assert.Throws<ComposeException>(() => YamlDocumentReader.ReadDocuments(yaml, "compose.yaml")).Message;

    [Fact]
    public void ScalarsStayTheTextTheUserWrote() =>
        Assert.Equal("""{"port":"8080","on":"true","ratio":"1.50","octal":"0755","quoted":"8080","yes":"yes"}""",
            Json("port: 8080\non: true\nratio: 1.50\noctal: 0755\nquoted: \"8080\"\nyes: yes"));

    [Fact]
    public void NullsAreNullButQuotedNullIsText()
    {
        var document = Read("a: ~\nb: null\nc:\nd: NULL\ne: 'null'\nf: !!null x\ng: \"\"");
        Assert.All(new[] { "a", "b", "c", "d", "f" }, key => Assert.Null(document[key]));
        Assert.True(document.ContainsKey("c"));
        Assert.Equal("null", document["e"]!.GetValue<string>());
        Assert.Equal("", document["g"]!.GetValue<string>());
    }

    [Fact]
    public void KeepsKeyOrderAndSequences() =>
        Assert.Equal("""{"z":"1","a":["x",null,{"k":"v"}],"m":"2"}""", Json("z: 1\na: [x, ~, {k: v}]\nm: 2"));

    [Fact]
    public void ResolvesAliasesIntoIndependentCopies()
    {
        var document = Read("base: &b {image: nginx, ports: [80]}\none: *b\ntwo: *b\nname: &n text\nalso: *n");
        Assert.Equal("""{"image":"nginx","ports":["80"]}""", document["two"]!.ToJsonString());
        Assert.Equal("text", document["also"]!.GetValue<string>());
        ((JsonObject)document["one"]!)["image"] = "changed";
        Assert.Equal("nginx", document["two"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void AppliesASingleMergeKeyWithExplicitKeysWinning() =>
        Assert.Equal("""{"image":"nginx","restart":"always","x":"y"}""",
            Read("base: &b {image: nginx, restart: no}\nweb:\n  <<: *b\n  restart: always\n  x: y")["web"]!.ToJsonString());

    [Fact]
    public void AppliesAListOfMergeMapsWithTheEarlierMapWinning() =>
        Assert.Equal("""{"own":"1","a":"from-a","b":"a-b"}""",
            Read("a: &a {a: from-a, b: a-b}\nb: &b {b: from-b, a: b-a}\nc:\n  own: 1\n  <<: [*a, *b]")["c"]!.ToJsonString());

    [Fact]
    public void RejectsMergingAScalar() =>
        Assert.Contains("map merge requires map", Error("a: &a text\nb:\n  <<: *a"));

    [Fact]
    public void RejectsDuplicateKeys() =>
        Assert.Equal("compose.yaml: yaml: line 3: mapping key \"image\" already defined at line 2",
            Error("web:\n  image: a\n  image: b"));

    [Fact]
    public void RejectsNonStringKeys() =>
        Assert.Contains("mapping keys must be strings", Error("? [a, b]\n: value"));

    [Fact]
    public void RejectsATopLevelThatIsNotAMapping()
    {
        Assert.Equal("compose.yaml: Top-level object must be a mapping", Error("- a\n- b"));
        Assert.Equal("compose.yaml: Top-level object must be a mapping", Error("just text"));
    }

    [Fact]
    public void ReportsSyntaxErrorsWithTheFileName()
    {
        Assert.StartsWith("compose.yaml: yaml: ", Error("a: [unclosed\nb: c"));
        Assert.StartsWith("compose.yaml: yaml: line 2", Error("a: b\n  - c: d"));
    }

    [Fact]
    public void ReportsUnknownAnchors() =>
        Assert.Contains("compose.yaml", Error("a: *nowhere"));
}
