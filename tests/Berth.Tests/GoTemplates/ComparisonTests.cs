namespace Berth.Tests.GoTemplates;

/// <summary>
/// eq, ne, lt, le, gt, ge with Go's rules.
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class ComparisonTests
{
    [Theory]
    [InlineData("{{eq .Port 8080}}", "true")]
    [InlineData("{{eq .Name \"/web\"}}", "true")]
    [InlineData("{{eq .Name \"a\" \"b\" \"/web\"}}", "true")]
    [InlineData("{{eq .F 1.5}}", "true")]
    [InlineData("{{eq .Running true}}", "true")]
    [InlineData("{{eq .Missing \"x\"}}", "false")]
    [InlineData("{{eq .Missing .Missing2}}", "true")]
    [InlineData("{{eq .Nil .Missing}}", "true")]
    [InlineData("{{eq .Nil \"x\"}}", "false")]
    [InlineData("{{eq .Labels .Nil}}", "false")]
    [InlineData("{{ne .Port 80}}", "true")]
    [InlineData("{{lt .Port 9000}}", "true")]
    [InlineData("{{lt \"a\" \"b\"}}", "true")]
    [InlineData("{{lt 1.5 2.5}}", "true")]
    [InlineData("{{le 2 2}}", "true")]
    [InlineData("{{gt 3 2}}", "true")]
    [InlineData("{{ge 2 3}}", "false")]
    [InlineData("{{gt \"b\" \"a\"}}", "true")]
    [InlineData("{{eq .Name nil}}", "false")]
    [InlineData("{{eq \"a\" \"a\"}}", "true")]
    [InlineData("{{ne \"a\" \"b\"}}", "true")]
    [InlineData("{{eq true true}}", "true")]
    [InlineData("{{le \"a\" \"a\"}}", "true")]
    [InlineData("{{ge 1.5 1.5}}", "true")]
    [InlineData("{{gt .Port .Size}}", "false")]
    [InlineData("{{lt .Big 123456789013}}", "true")]
    [InlineData("{{eq .Labels.a \"1\" }}", "true")]
    [InlineData("{{eq .Missing nil}}", "true")]
    [InlineData("{{ne .Missing 1}}", "true")]
    [InlineData("{{eq .Port 8080 1}}", "true")]
    [InlineData("{{eq nil nil}}", "true")]
    [InlineData("{{eq (len .Args) 2}}", "true")]
    [InlineData("{{.Labels.a | eq \"1\"}}", "true")]
    [InlineData("{{if and .Running (eq .Port 8080)}}ok{{end}}", "ok")]
    [InlineData("{{if or (eq .Port 1) (eq .Port 8080)}}ok{{end}}", "ok")]
    public void MatchesGo(string template, string expected) => Assert.Equal(expected, Sample.Run(template));
}
