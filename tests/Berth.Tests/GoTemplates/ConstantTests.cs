namespace Berth.Tests.GoTemplates;

/// <summary>
/// Number, character, string and bool constants.
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class ConstantTests
{
    [Theory]
    [InlineData("{{1}} {{1.5}} {{1e3}} {{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{-0}} {{+5}} {{.5}} {{0x1p-2}}", "1 1.5 1000 31 15 15 5 1000 0 5 0.5 0.25")]
    [InlineData("{{'a'}} {{'\\n'}} {{'\\''}} {{'\\x41'}} {{'\\u00e9'}} {{'\\377'}} {{'é'}}", "97 10 39 65 233 255 233")]
    [InlineData("{{true}} {{false}} {{\"s\"}} {{`raw`}}", "true false s raw")]
    [InlineData("{{\"\\x41\\u00e9\\U0001F600\\101\\t|\"}}", "Aé\ud83d\ude00A\t|")]
    [InlineData("{{\"a\\\"b\"}}", "a\"b")]
    [InlineData("{{`a\\\"b`}}", "a\\\"b")]
    [InlineData("{{-3}}", "-3")]
    [InlineData("{{ -3 }}", "-3")]
    public void MatchesGo(string template, string expected) => Assert.Equal(expected, Sample.Run(template));
}
