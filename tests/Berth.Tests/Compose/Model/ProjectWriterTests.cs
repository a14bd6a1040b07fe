using System.Text.Json.Nodes;
using Berth.Compose.Model;
using YamlDotNet.RepresentationModel;

namespace Berth.Tests.Compose.Model;

public sealed class ProjectWriterTests
{
    private static ComposeProject Sample() => RawProject.Read("""
        {"name": "demo",
         "services": {
           "web": {"build": {"context": "./web", "args": {"V": "1"}}, "ports": ["8080:80"], "environment": {"DEBUG": "true", "N": "8080"},
                   "depends_on": ["db"], "volumes": ["./html:/usr/share/nginx/html:ro", "data:/data"],
                   "healthcheck": {"test": "curl -f localhost", "interval": "1m30s"}, "command": "nginx -g 'daemon off;'"},
           "db": {"image": "postgres:16", "networks": {"back": {"aliases": ["database"]}}, "stop_grace_period": "500ms"}},
         "networks": {"back": null},
         "volumes": {"data": null},
         "secrets": {"token": {"file": "./token"}}}
        """);

    private static YamlMappingNode ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> Keys(YamlNode node) =>
        ((YamlMappingNode)node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    [Fact]
    public void Yaml_has_the_canonical_top_level_order_and_sorted_services()
    {
        var root = ParseYaml(ProjectWriter.ToYaml(Sample()));
        Assert.Equal(["name", "services", "networks", "volumes", "secrets"], Keys(root));
        Assert.Equal(["db", "web"], Keys(root["services"]));
        Assert.Equal(["back", "default"], Keys(root["networks"]));
    }

    [Fact]
    public void Yaml_writes_services_in_long_syntax_with_absolute_paths()
    {
        var web = (YamlMappingNode)ParseYaml(ProjectWriter.ToYaml(Sample()))["services"]["web"];
        Assert.Equal(Keys(web).Order(StringComparer.Ordinal), Keys(web));
        Assert.Equal("/srv/app/web", web["build"]["context"].ToString());
        Assert.Equal("Dockerfile", web["build"]["dockerfile"].ToString());
        var port = (YamlMappingNode)((YamlSequenceNode)web["ports"])[0];
        Assert.Equal(["mode", "target", "published", "protocol"], Keys(port));
        Assert.Equal("8080", port["published"].ToString());
        var bind = (YamlMappingNode)((YamlSequenceNode)web["volumes"])[0];
        Assert.Equal("bind", bind["type"].ToString());
        Assert.Equal("/srv/app/html", bind["source"].ToString());
        Assert.Equal("true", bind["read_only"].ToString());
        Assert.Equal(["nginx", "-g", "daemon off;"], ((YamlSequenceNode)web["command"]).Select(n => n.ToString()));
        Assert.Equal("1m30s", web["healthcheck"]["interval"].ToString());
        Assert.Equal("service_started", web["depends_on"]["db"]["condition"].ToString());
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted()
    {
        var yaml = ProjectWriter.ToYaml(Sample());
        Assert.Contains("published: \"8080\"", yaml);
        Assert.Contains("DEBUG: \"true\"", yaml);
        // "N" alone is a YAML 1.1 boolean, so even the key is quoted.
        Assert.Contains("\"N\": \"8080\"", yaml);
        Assert.Contains("target: 80\n", yaml);
        Assert.Contains("default: null", yaml);
        Assert.DoesNotContain("...", yaml);
    }

    [Fact]
    public void Yaml_text_starts_with_the_name_and_indents_sequences()
    {
        var yaml = ProjectWriter.ToYaml(Sample());
        Assert.StartsWith("name: demo\nservices:\n  db:\n", yaml);
        Assert.Contains("    ports:\n      - mode: ingress\n", yaml);
        Assert.Contains("stop_grace_period: 500ms", yaml);
    }

    [Fact]
    public void Json_carries_the_same_content()
    {
        var json = JsonNode.Parse(ProjectWriter.ToJson(Sample()))!.AsObject();
        Assert.Equal(["name", "services", "networks", "volumes", "secrets"], json.Select(e => e.Key));
        Assert.Equal(80, json["services"]!["web"]!["ports"]![0]!["target"]!.GetValue<int>());
        Assert.Equal("8080", json["services"]!["web"]!["ports"]![0]!["published"]!.GetValue<string>());
        Assert.Equal("demo_back", json["networks"]!["back"]!["name"]!.GetValue<string>());
        Assert.Equal("/srv/app/token", json["secrets"]!["token"]!["file"]!.GetValue<string>());
        Assert.Equal(["database"], json["services"]!["db"]!["networks"]!["back"]!["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Null(json["services"]!["web"]!["networks"]!["default"]);
    }

    [Fact]
    public void Yaml_read_back_through_the_model_gives_the_same_project()
    {
        var first = ProjectWriter.ToYaml(Sample());
        var again = RawProject.Read(ToRawJson(ParseYaml(first))!.ToJsonString());
        Assert.Equal(first, ProjectWriter.ToYaml(again));
    }

    [Fact]
    public void Multi_line_strings_are_written_as_literal_blocks()
    {
        var project = RawProject.Read("""{"services": {"web": {"build": {"dockerfile_inline": "FROM alpine\nRUN true\n"}}}}""");
        var yaml = ProjectWriter.ToYaml(project);
        Assert.Contains("dockerfile_inline: |", yaml);
        Assert.Equal("FROM alpine\nRUN true\n", ParseYaml(yaml)["services"]["web"]["build"]["dockerfile_inline"].ToString());
    }

    /// <summary>The loader's view of a YAML tree: mappings, sequences and every scalar as a string.</summary>
    private static JsonNode? ToRawJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value!, ToRawJson(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Select(ToRawJson).ToArray()),
        YamlScalarNode { Value: "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException(),
    };
}
