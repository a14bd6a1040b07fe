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
    public void Scalars_stay_the_text_the_user_wrote() =>
        Assert.Equal("""{"port":"8080","on":"true","ratio":"1.50","octal":"0755","quoted":"8080","yes":"yes"}""",
            Json("port: 8080\non: true\nratio: 1.50\noctal: 0755\nquoted: \"8080\"\nyes: yes"));

    [Fact]
    public void Nulls_are_null_but_quoted_null_is_text()
    {
        var document = Read("a: ~\nb: null\nc:\nd: NULL\ne: 'null'\nf: !!null x\ng: \"\"");
        Assert.All(new[] { "a", "b", "c", "d", "f" }, key => Assert.Null(document[key]));
        Assert.True(document.ContainsKey("c"));
        Assert.Equal("null", document["e"]!.GetValue<string>());
        Assert.Equal("", document["g"]!.GetValue<string>());
    }

    [Fact]
    public void Keeps_key_order_and_sequences() =>
        Assert.Equal("""{"z":"1","a":["x",null,{"k":"v"}],"m":"2"}""", Json("z: 1\na: [x, ~, {k: v}]\nm: 2"));

    [Fact]
    public void Resolves_aliases_into_independent_copies()
    {
        var document = Read("base: &b {image: nginx, ports: [80]}\none: *b\ntwo: *b\nname: &n text\nalso: *n");
        Assert.Equal("""{"image":"nginx","ports":["80"]}""", document["two"]!.ToJsonString());
        Assert.Equal("text", document["also"]!.GetValue<string>());
        ((JsonObject)document["one"]!)["image"] = "changed";
        Assert.Equal("nginx", document["two"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Applies_a_single_merge_key_with_explicit_keys_winning() =>
        Assert.Equal("""{"image":"nginx","restart":"always","x":"y"}""",
            Read("base: &b {image: nginx, restart: no}\nweb:\n  <<: *b\n  restart: always\n  x: y")["web"]!.ToJsonString());

    [Fact]
    public void Applies_a_list_of_merge_maps_with_the_earlier_map_winning() =>
        Assert.Equal("""{"own":"1","a":"from-a","b":"a-b"}""",
            Read("a: &a {a: from-a, b: a-b}\nb: &b {b: from-b, a: b-a}\nc:\n  own: 1\n  <<: [*a, *b]")["c"]!.ToJsonString());

    [Fact]
    public void Rejects_merging_a_scalar() =>
        Assert.Contains("map merge requires map", Error("a: &a text\nb:\n  <<: *a"));

    [Fact]
    public void Rejects_duplicate_keys() =>
        Assert.Equal("compose.yaml: yaml: line 3: mapping key \"image\" already defined at line 2",
            Error("web:\n  image: a\n  image: b"));

    [Fact]
    public void Rejects_non_string_keys() =>
        Assert.Contains("mapping keys must be strings", Error("? [a, b]\n: value"));

    [Fact]
    public void Rejects_a_top_level_that_is_not_a_mapping()
    {
        Assert.Equal("compose.yaml: Top-level object must be a mapping", Error("- a\n- b"));
        Assert.Equal("compose.yaml: Top-level object must be a mapping", Error("just text"));
    }

    [Fact]
    public void Reports_syntax_errors_with_the_file_name()
    {
        Assert.StartsWith("compose.yaml: yaml: ", Error("a: [unclosed\nb: c"));
        Assert.StartsWith("compose.yaml: yaml: line 2", Error("a: b\n  - c: d"));
    }

    [Fact]
    public void Reports_unknown_anchors() =>
        Assert.Contains("compose.yaml", Error("a: *nowhere"));
}
