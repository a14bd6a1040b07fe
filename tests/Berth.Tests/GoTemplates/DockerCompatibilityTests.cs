using System.Text.Json.Nodes;
using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>
/// Where the engine follows the docker CLI (Go 1.22+, typed inspect structs, the brief's JSON model)
/// rather than Go 1.19's text/template over a plain map. Each expectation was checked against
/// docker CLI 28 where docker can show it.
/// </summary>
public sealed class DockerCompatibilityTests
{
    [Theory]
    // json keeps the object's own key order, as Go does for docker's structs.
    [InlineData("{{json .Labels}}", "{\"b\":\"2\",\"a\":\"1\",\"com.docker.compose.project\":\"proj\",\"z\":\"<x&y>\"}")]
    [InlineData("{{json .State}}", "{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"ExitCode\":0,\"Health\":null}")]
    [InlineData("{{index .Mounts 0 | json}}", "{\"Source\":\"/src\",\"Destination\":\"/dst\",\"RW\":true}")]
    // Go 1.22+ encodes \b and \f short; docker CLI 28 prints "\b\f\u2028<".
    [InlineData("{{json \"\\b\\f\\u2028<\\x01\"}}", "\"\\b\\f\\u2028<\\u0001\"")]
    // A JSON array of strings is docker's []string.
    [InlineData("{{join .Args \",\"}}", "-c,echo hi")]
    // index of a missing label is the string zero value, as on docker's map[string]string.
    [InlineData("{{index .Labels \"nope\"}}|", "|")]
    [InlineData("{{index .EmptyMap \"nope\"}}|", "|")]
    [InlineData("{{index .Nil \"a\"}}|", "|")]
    // ...and a missing network is a nil pointer.
    [InlineData("{{index .Networks \"nope\"}}", "<nil>")]
    // null prints as Go prints a nil pointer.
    [InlineData("{{.Nil}}", "<nil>")]
    [InlineData("{{.State.Health}}", "<nil>")]
    [InlineData("{{$x := .Nil}}{{$x}}", "<nil>")]
    // A field of null is missing (a nil map has no keys) unless strict.
    [InlineData("{{.State.Health.Status}}", "<no value>")]
    [InlineData("{{.Nil.Foo}}", "<no value>")]
    // Go 1.22 ranges over integers; Go 1.23 has {{else with}}.
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range $i := 3}}{{$i}}{{end}}", "012")]
    [InlineData("{{range 0}}x{{else}}none{{end}}", "none")]
    [InlineData("{{with 0}}{{else with 2}}{{.}}{{end}}", "2")]
    [InlineData("{{with 1}}{{else with 2}}{{.}}{{end}}", "")]
    [InlineData("{{with .Missing}}a{{else with .Nil}}b{{else with .Name}}{{.}}{{else}}d{{end}}", "/web")]
    public void FollowsDocker(string template, string expected) => Assert.Equal(expected, Sample.Run(template));

    [Theory]
    [InlineData("{{range $i, $e := 3}}{{end}}", "template: :1:18: executing \"\" at <3>: can't use 3 to iterate over more than one variable")]
    [InlineData("{{define \"t\"}}{{template \"t\" .}}{{end}}{{template \"t\" 1}}", "template: :1:25: executing \"t\" at <{{template \"t\" .}}>: exceeded maximum template depth (1000)")]
    public void FailsLikeDocker(string template, string message) => Assert.Equal(message, Sample.ExecutionError(template));

    [Theory]
    [InlineData("{{.x}}", "{\"x\": 18446744073709551615}", "18446744073709551615")]
    [InlineData("{{.x}}", "{\"x\": 1048576.0}", "1048576")]
    [InlineData("{{.}}", "null", "<no value>")]
    public void PrintsJsonNumbersAsDockerStructsWould(string template, string json, string expected) =>
        Assert.Equal(expected, Sample.Run(template, json));

    [Fact]
    public void NoDataIsGosInvalidValue() => Assert.Equal("<no value>", GoTemplate.Parse("{{.}}").Execute(null));

    [Fact]
    public void MissingKeyInStrictModeIsDockersInspectError() =>
        Assert.Equal(
            "template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"",
            Sample.ExecutionError("{{.State.Foo}}", strict: true));

    [Fact]
    public void InspectStyleFormatsWork()
    {
        var data = JsonNode.Parse("""
            {"Name":"/web","State":{"Running":true,"Pid":4242,"ExitCode":0},"Config":{"Labels":{"com.docker.compose.project":"demo"}},
             "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2"}}},"Mounts":[{"Source":"/a"},{"Source":"/b"}]}
            """);
        string Run(string format) => GoTemplate.Parse(format).Execute(data);
        Assert.Equal("demo", Run("{{index .Config.Labels \"com.docker.compose.project\"}}"));
        Assert.Equal("172.17.0.2", Run("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"));
        Assert.Equal("/a /b ", Run("{{range .Mounts}}{{.Source}} {{end}}"));
        Assert.Equal("up 4242", Run("{{if .State.Running}}up{{else}}down{{end}} {{.State.Pid}}"));
        Assert.Equal("web", Run("{{slice .Name 1}}"));
    }
}
