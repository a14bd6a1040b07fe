namespace Berth.Tests.GoTemplates;

/// <summary>
/// Floats as Go's %v and encoding/json print them.
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class FloatFormattingTests
{
    [Theory]
    [InlineData("{{.Huge}}", "1e+21")]
    [InlineData("{{.Tiny}}", "1e-05")]
    [InlineData("{{.FBig}}", "1.2345675e+06")]
    [InlineData("{{1e20}} {{123456789.0}} {{0.000123}} {{1e-5}}", "1e+20 1.23456789e+08 0.000123 1e-05")]
    [InlineData("{{100000.0}} {{1000000.0}} {{123456.7}}", "100000 1e+06 123456.7")]
    [InlineData("{{1.5e300}} {{5e-324}}", "1.5e+300 5e-324")]
    [InlineData("{{json 1e-7}} {{json 123456789.5}} {{json 1e20}} {{json 0.1}}", "1e-7 123456789.5 100000000000000000000 0.1")]
    [InlineData("{{json 5e-324}} {{json 1.7976931348623157e308}}", "5e-324 1.7976931348623157e+308")]
    [InlineData("{{json .Huge}} {{json .Tiny}} {{json .F}}", "1e+21 0.00001 1.5")]
    [InlineData("{{json 1.0}} {{json 1e21}} {{json 0.0000001}}", "1 1e+21 1e-7")]
    public void MatchesGo(string template, string expected) => Assert.Equal(expected, Sample.Run(template));

    [Theory]
    [InlineData("{{.a}} {{.b}} {{.c}} {{.d}}", "{\"a\": 1e+20, \"b\": 123456.0, \"c\": 1e-05, \"d\": 0.1}", "1e+20 123456 1e-05 0.1")]
    public void MatchesGoOnOtherData(string template, string json, string expected) => Assert.Equal(expected, Sample.Run(template, json));
}
