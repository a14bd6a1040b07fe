namespace Berth.Tests.GoTemplates;

/// <summary>
/// MissingKeyMode.Error behaves as Go's missingkey=error (the docker CLI's inspect fallback).
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class StrictModeTests
{
    [Theory]
    [InlineData("{{.Foo}}", "template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"")]
    [InlineData("{{.State.Foo}}", "template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"")]
    [InlineData("{{.Missing.Foo}}", "template: :1:10: executing \"\" at <.Missing.Foo>: map has no entry for key \"Missing\"")]
    [InlineData("{{.Nil.Foo}}", "template: :1:6: executing \"\" at <.Nil.Foo>: nil pointer evaluating interface {}.Foo")]
    [InlineData("{{index .Nil \"a\"}}", "template: :1:2: executing \"\" at <index .Nil \"a\">: error calling index: index of untyped nil")]
    [InlineData("{{with .Foo}}x{{end}}", "template: :1:7: executing \"\" at <.Foo>: map has no entry for key \"Foo\"")]
    [InlineData("{{.State.Health.Status}}", "template: :1:8: executing \"\" at <.State.Health.Status>: nil pointer evaluating interface {}.Status")]
    [InlineData("{{.Labels.nope}}", "template: :1:9: executing \"\" at <.Labels.nope>: map has no entry for key \"nope\"")]
    public void FailsLikeGo(string template, string message) => Assert.Equal(message, Sample.ExecutionError(template, strict: true));

    [Theory]
    [InlineData("{{.Name}}", "/web")]
    [InlineData("{{.Labels.a}}", "1")]
    [InlineData("{{index .Labels \"nope\"}}", "<no value>")]
    [InlineData("{{with .State}}{{.Pid}}{{end}}", "42")]
    public void PresentKeysPrintAsUsual(string template, string expected) => Assert.Equal(expected, Sample.Run(template, strict: true));
}
