using System.Text;
using Berth.Shim.Log;

namespace Berth.Tests.Shim;

public class JsonEscaperTests
{
    private static string Escape(byte[] input)
    {
        var output = new byte[JsonEscaper.MaxLength(input.Length)];
        return Encoding.UTF8.GetString(output, 0, JsonEscaper.Escape(input, output));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\"quoted\"", "\\\"quoted\\\"")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("\u0001\u001f\u007f", "\\u0001\\u001f\u007f")]
    [InlineData("ünïcödé ✓ 😀", "ünïcödé ✓ 😀")]
    [InlineData("a long run of plain ASCII text, longer than one 32-byte vector, with a \"quote\" at 60", "a long run of plain ASCII text, longer than one 32-byte vector, with a \\\"quote\\\" at 60")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef\n", "0123456789abcdef0123456789abcdef0123456789abcdef\\n")]
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
        var output = new byte[JsonEscaper.MaxLength(input.Length)];
        Assert.Equal(6000, JsonEscaper.Escape(input, output));
        Assert.Throws<ArgumentException>(() => JsonEscaper.Escape(input, new byte[6000]));
    }

    [Fact]
    public void MatchesAReferenceEscaperOnRandomInput()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            // Mostly printable text with some specials and multi-byte characters, at every alignment.
            var text = new StringBuilder();
            int length = random.Next(0, 300);
            for (int i = 0; i < length; i++)
                text.Append(random.Next(20) switch { 0 => '"', 1 => '\\', 2 => '\n', 3 => '\u0001', 4 => 'é', 5 => '€', _ => (char)random.Next(0x20, 0x7F) });
            string input = text.ToString();
            Assert.Equal(Reference(input), Escape(Encoding.UTF8.GetBytes(input)));
        }
    }

    private static string Reference(string input)
    {
        var sb = new StringBuilder();
        foreach (char c in input)
            sb.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}
