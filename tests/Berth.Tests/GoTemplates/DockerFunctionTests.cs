namespace Berth.Tests.GoTemplates;

/// <summary>
/// The functions the docker CLI adds: json, split, join, title, lower, upper, pad, truncate.
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class DockerFunctionTests
{
    [Theory]
    [InlineData("{{json .Labels.a}}", "\"1\"")]
    [InlineData("{{json .Name}}", "\"/web\"")]
    [InlineData("{{json .Port}}", "8080")]
    [InlineData("{{json .Args}}", "[\"-c\",\"echo hi\"]")]
    [InlineData("{{json .Html}}", "\"<a href='x'>&</a>\"")]
    [InlineData("{{json .Quote}}", "\"say \\\"hi\\\"\\n\\ttab\"")]
    [InlineData("{{json .Missing}}", "null")]
    [InlineData("{{json .Nil}}", "null")]
    [InlineData("{{json .Mixed}}", "[\"a\",1,true,null,1.5]")]
    [InlineData("{{json .Uni}}", "\"héllo wörld\"")]
    [InlineData("{{join .Missing \",\"}}|", "|")]
    [InlineData("{{join (split \"a:b\" \":\") \"-\"}}", "a-b")]
    [InlineData("{{split \"a:b:c\" \":\"}}", "[a b c]")]
    [InlineData("{{split \"abc\" \"\"}}", "[a b c]")]
    [InlineData("{{split \"\" \",\"}}", "[]")]
    [InlineData("{{len (split \"a,b\" \",\")}}", "2")]
    [InlineData("{{json (split \"a:b\" \":\")}}", "[\"a\",\"b\"]")]
    [InlineData("{{title \"hello wOrld-foo bar_baz\"}}", "Hello WOrld-Foo Bar_baz")]
    [InlineData("{{title .Uni}}", "Héllo Wörld")]
    [InlineData("{{lower \"HeLLo\"}}", "hello")]
    [InlineData("{{upper .Name}}", "/WEB")]
    [InlineData("{{upper .Uni}}", "HÉLLO WÖRLD")]
    [InlineData("{{lower .Uni}}", "héllo wörld")]
    [InlineData("{{.Name | upper}}", "/WEB")]
    [InlineData("{{pad \"x\" 1 2}}|", " x  |")]
    [InlineData("{{pad \"\" 1 2}}|", "|")]
    [InlineData("{{pad .Name 2 0}}", "  /web")]
    [InlineData("{{truncate \"hello\" 3}}", "hel")]
    [InlineData("{{truncate \"hi\" 3}}", "hi")]
    [InlineData("{{truncate \"hello\" 5}}", "hello")]
    [InlineData("{{truncate .ID 2}}", "ab")]
    [InlineData("{{truncate \"hello\" 0}}|", "|")]
    public void MatchesGo(string template, string expected) => Assert.Equal(expected, Sample.Run(template));
}
