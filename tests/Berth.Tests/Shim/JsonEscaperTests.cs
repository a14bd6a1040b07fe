using System.Text;
using Berth.Shim.Log;

namespace Berth.Tests.Shim;

public class JsonEscaperTests
{
    private static string Escape(byte[] input)
    {
        var output = new byte[input.Length * JsonEscaper.MaxExpansion];
        return Encoding.UTF8.GetString(output, 0, JsonEscaper.Escape(input, output));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\"quoted\"", "\\\"quoted\\\"")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("\u0001\u001f\u007f", "\\u0001\\u001f\u007f")]
    [InlineData("ünïcödé ✓ 😀", "ünïcödé ✓ 😀")]
    public void Escapes(string input, string expected) => Assert.Equal(expected, Escape(Encoding.UTF8.GetBytes(input)));

    [Fact]
    public void ReplacesInvalidUtf8AndStaysWithinTheBound()
    {
        byte[] input = [0xC0, 0x80, 0xED, 0xA0, 0x80, (byte)'x', 0xF4, 0x90, 0x80, 0x80];
        string result = Escape(input);
        Assert.DoesNotContain(result, c => c is not ('\uFFFD' or 'x'));
        Assert.Contains('x', result);
    }

    [Fact]
    public void WorstCaseIsSixBytesPerInputByte()
    {
        var input = new byte[1000]; // all NUL: each becomes \u0000
        var output = new byte[6000];
        Assert.Equal(6000, JsonEscaper.Escape(input, output));
    }
}
