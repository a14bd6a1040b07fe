using System.Text.Json.Nodes;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public class DocumentMergerTests
{
    private static JsonObject Yaml(string text) => Assert.Single(YamlDocumentReader.ReadDocuments(text, "f.yaml"));

    /// <summary>The field of service `s` after merging the two service bodies.</summary>
    private static string MergeService(string earlier, string later, string field)
    {
        var merged = DocumentMerger.Merge(Yaml($"services:\n  s:\n{Indent(earlier)}"), Yaml($"services:\n  s:\n{Indent(later)}"));
        return merged["services"]!["s"]![field]!.ToJsonString();
    }

    private static string Indent(string body) => string.Join("\n", body.Split('\n').Select(line => "    " + line));

    [Fact]
    public void Mappings_merge_recursively_and_scalars_replace()
    {
        var merged = DocumentMerger.Merge(
            Yaml("name: one\nservices:\n  web: {image: a, restart: always}\nnetworks:\n  front: {driver: bridge}"),
            Yaml("name: two\nservices:\n  web: {image: b}\n  db: {image: pg}\nnetworks:\n  front: {internal: true}\nvolumes:\n  data:"));
        Assert.Equal(
            """{"name":"two","services":{"web":{"image":"b","restart":"always"},"db":{"image":"pg"}},"networks":{"front":{"driver":"bridge","internal":"true"}},"volumes":{"data":null}}""",
            merged.ToJsonString());
    }

    [Fact]
    public void Null_in_the_later_file_keeps_the_earlier_value() =>
        Assert.Equal("\"a\"", MergeService("image: a", "image:", "image"));

    [Theory]
    [InlineData("command")]
    [InlineData("entrypoint")]
    public void Command_and_entrypoint_are_replaced_wholesale(string field) =>
        Assert.Equal("""["c","d"]""", MergeService($"{field}: [a, b]", $"{field}: [c, d]", field));

    [Fact]
    public void Healthcheck_test_is_replaced_but_other_healthcheck_fields_merge() =>
        Assert.Equal("""{"test":["CMD","true"],"interval":"5s","retries":"3"}""",
            MergeService("healthcheck: {test: [CMD, curl, x], interval: 5s}", "healthcheck: {test: [CMD, 'true'], retries: 3}", "healthcheck"));

    [Fact]
    public void Environment_lists_and_maps_merge_by_key() =>
        Assert.Equal("""{"A":"1","B":"override","C":null,"D":"4"}""",
            MergeService("environment: [A=1, B=2, C]", "environment: {B: override, D: 4}", "environment"));

    [Fact]
    public void Labels_build_args_and_sysctls_merge_by_key()
    {
        Assert.Equal("""{"a":"1","b":"3"}""", MergeService("labels: [a=1, b=2]", "labels: [b=3]", "labels"));
        Assert.Equal("""{"context":".","args":{"V":"2","W":"1"}}""",
            MergeService("build: {context: ., args: [V=1, W=1]}", "build: {args: {V: 2}}", "build"));
        Assert.Equal("""{"net.core.somaxconn":"2048"}""",
            MergeService("sysctls: [net.core.somaxconn=1024]", "sysctls: {net.core.somaxconn: 2048}", "sysctls"));
    }

    [Fact]
    public void Extra_hosts_map_form_merges_by_host() =>
        Assert.Equal("""{"db":"10.0.0.2","cache":"10.0.0.3"}""",
            MergeService("extra_hosts: ['db:10.0.0.1', 'cache=10.0.0.3']", "extra_hosts: {db: 10.0.0.2}", "extra_hosts"));

    [Fact]
    public void Ports_are_appended_without_exact_duplicates() =>
        Assert.Equal("""["80:80","443:443",{"target":"9000"}]""",
            MergeService("ports: ['80:80', '443:443']", "ports: ['443:443', {target: 9000}]", "ports"));

    [Fact]
    public void A_single_string_counts_as_a_one_item_list()
    {
        Assert.Equal("""["8.8.8.8","1.1.1.1"]""", MergeService("dns: 8.8.8.8", "dns: [1.1.1.1, 8.8.8.8]", "dns"));
        Assert.Equal("""[".env","extra.env"]""", MergeService("env_file: .env", "env_file: extra.env", "env_file"));
    }

    [Fact]
    public void Capabilities_and_profiles_are_appended()
    {
        Assert.Equal("""["NET_ADMIN","SYS_TIME"]""", MergeService("cap_add: [NET_ADMIN]", "cap_add: [SYS_TIME, NET_ADMIN]", "cap_add"));
        Assert.Equal("""["dev","debug"]""", MergeService("profiles: [dev]", "profiles: [debug]", "profiles"));
    }

    [Fact]
    public void Volumes_merge_by_target() =>
        Assert.Equal("""["./new:/data:ro","/anon",{"type":"bind","source":"./c","target":"/conf"},"logs:/logs"]""",
            MergeService(
                "volumes: ['./old:/data', /anon, {type: volume, source: cfg, target: /conf}]",
                "volumes: ['./new:/data:ro', {type: bind, source: ./c, target: /conf}, 'logs:/logs', /anon]",
                "volumes"));

    [Fact]
    public void Service_networks_list_form_merges_with_map_form() =>
        Assert.Equal("""{"front":{"aliases":["web"]},"back":null,"extra":null}""",
            MergeService("networks: {front: {aliases: [web]}, back: }", "networks: [front, extra]", "networks"));

    [Fact]
    public void Service_networks_lists_become_maps() =>
        Assert.Equal("""{"a":null,"b":{"priority":"1"}}""", MergeService("networks: [a]", "networks: {b: {priority: 1}}", "networks"));

    [Fact]
    public void Depends_on_maps_merge_by_service_and_field() =>
        Assert.Equal("""{"db":{"condition":"service_healthy","restart":"true"}}""",
            MergeService("depends_on: {db: {condition: service_healthy}}", "depends_on: {db: {restart: true}}", "depends_on"));

    [Fact]
    public void Depends_on_lists_merge_as_maps() =>
        Assert.Equal("""{"db":{"condition":"service_healthy"},"cache":{"condition":"service_started"}}""",
            MergeService("depends_on: {db: {condition: service_healthy}}", "depends_on: [cache]", "depends_on"));

    [Fact]
    public void Build_string_merges_with_the_long_form() =>
        Assert.Equal("""{"context":"./app","target":"prod"}""", MergeService("build: ./app", "build: {target: prod}", "build"));

    [Fact]
    public void Secrets_merge_by_source() =>
        Assert.Equal("""[{"source":"token","target":"t2"},"other"]""",
            MergeService("secrets: [token, other]", "secrets: [{source: token, target: t2}]", "secrets"));

    [Fact]
    public void Top_level_sequences_and_labels_follow_the_generic_rules() =>
        Assert.Equal("""{"front":{"labels":{"a":"1","b":"2"},"ipam":{"config":[{"subnet":"10.0.0.0/24"},{"subnet":"10.1.0.0/24"}]}}}""",
            DocumentMerger.Merge(
                Yaml("networks:\n  front: {labels: [a=1], ipam: {config: [{subnet: 10.0.0.0/24}]}}"),
                Yaml("networks:\n  front: {labels: {b: 2}, ipam: {config: [{subnet: 10.1.0.0/24}, {subnet: 10.0.0.0/24}]}}"))["networks"]!
                .ToJsonString());
}
