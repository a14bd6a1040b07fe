using System.Text;
using System.Text.Json;
using Berth.Engine.Logs;

namespace Berth.Tests.Engine;

public sealed class JsonLogLineTests
{
    private static (bool Stderr, string Text, string Time, long Nanos) Parse(string line)
    {
        Assert.True(JsonLogLine.TryParse(Encoding.UTF8.GetBytes(line), out var parsed), line);
        var text = new byte[parsed.MaxTextLength];
        int n = parsed.CopyText(text);
        return (parsed.IsStderr, Encoding.UTF8.GetString(text, 0, n), Encoding.UTF8.GetString(parsed.Time), parsed.UnixNanos);
    }

    [Fact]
    public void The_shims_own_lines_are_sliced_in_place()
    {
        var (stderr, text, time, nanos) = Parse("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44.381986859Z\"}");
        Assert.False(stderr);
        Assert.Equal("hello\n", text);
        Assert.Equal("2026-11-28T02:08:44.381986859Z", time);
        Assert.Equal(1_795_831_724_381_986_859, nanos);
        Assert.True(Parse("{\"log\":\"x\",\"stream\":\"stderr\",\"time\":\"2026-11-28T02:08:44Z\"}").Stderr);
    }

    [Fact]
    public void Other_shapes_go_through_the_json_reader()
    {
        var (stderr, text, _, nanos) = Parse("{\"stream\":\"stderr\",\"attrs\":{\"a\":\"b\"},\"time\":\"2026-11-28T03:08:44.5+01:00\",\"log\":\"x\\ty\"}");
        Assert.True(stderr);
        Assert.Equal("x\ty", text);
        Assert.Equal(1_795_831_724_500_000_000, nanos);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"log\":\"x\",\"stream\":\"stdout\"}")]
    [InlineData("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"yesterday\"}")]
    [InlineData("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44")]
    public void Lines_that_are_not_entries_are_refused(string line) =>
        Assert.False(JsonLogLine.TryParse(Encoding.UTF8.GetBytes(line), out _));

    [Theory]
    [InlineData("plain")]
    [InlineData("tab\there \"quoted\" back\\slash\r\n")]
    [InlineData("\u0000\u0001\u001f control")]
    [InlineData("héllo wörld ✓ 🐳")]
    [InlineData("<script>&amp;\u2028\u2029")]
    public void Escapes_are_undone_as_a_json_reader_would(string original)
    {
        foreach (bool asciiOnly in new[] { false, true })
        {
            // System.Text.Json escapes everything non-ASCII (\uXXXX, surrogate pairs included) unless told otherwise.
            var options = new JsonSerializerOptions { Encoder = asciiOnly ? null : System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            string escaped = JsonSerializer.Serialize(original, options);
            string line = $"{{\"log\":{escaped},\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44Z\"}}";
            Assert.Equal(original, Parse(line).Text);
        }
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character_and_a_bad_escape_is_kept()
    {
        Assert.Equal("a\uFFFDb", Parse("{\"log\":\"a\\ud800b\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44Z\"}").Text);
        Assert.Equal("a\uFFFDb", Parse("{\"log\":\"a\\udc00b\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44Z\"}").Text);
        Assert.Equal("a\\qb", Parse("{\"log\":\"a\\qb\",\"stream\":\"stdout\",\"time\":\"2026-11-28T02:08:44Z\"}").Text);
    }

    [Theory]
    [InlineData("2026-11-28T02:08:44Z", "2026-11-28T02:08:44.000000000Z")]
    [InlineData("2026-11-28T02:08:44.1Z", "2026-11-28T02:08:44.100000000Z")]
    [InlineData("2026-11-28T02:08:44.381986859Z", "2026-11-28T02:08:44.381986859Z")]
    [InlineData("2026-11-28T03:08:44.381986859+01:00", "2026-11-28T02:08:44.381986859Z")]
    [InlineData("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000000Z")]
    public void Times_parse_and_print_in_dockers_fixed_form(string text, string expected)
    {
        Assert.True(LogTime.TryParse(Encoding.ASCII.GetBytes(text), out long nanos));
        Assert.True(Berth.Api.ApiTime.TryParse(text, out var reference));
        Assert.Equal(LogTime.ToUnixTicks(reference), LogTime.ToUnixTicks(nanos));
        var fixedForm = new byte[LogTime.FixedLength];
        Assert.Equal(LogTime.FixedLength, LogTime.FormatFixed(nanos, fixedForm));
        Assert.Equal(expected, Encoding.ASCII.GetString(fixedForm));
        Assert.Equal(LogTime.FixedLength, LogTime.ToFixed(Encoding.ASCII.GetBytes(text), fixedForm));
        Assert.Equal(expected, Encoding.ASCII.GetString(fixedForm));
    }
}
