using Berth.GoText;

namespace Berth.Tests.GoText;

public sealed class GoQuoteTests
{
    [Fact]
    public void Go_quote_escapes_like_strconv() => Assert.Equal("\"sh -c \\\"echo\\ta\\\"\"", GoQuote.Quote("sh -c \"echo\ta\""));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("caf\u00e9 \U0001F600", "\"caf\u00e9 \U0001F600\"")]
    [InlineData("no\u00a0break", "\"no\\u00a0break\"")]
    [InlineData("line\u2028end", "\"line\\u2028end\"")]
    [InlineData("tag\U000E0001", "\"tag\\U000e0001\"")]
    public void Quote_escapes_what_go_does_not_print(string text, string quoted) =>
        Assert.Equal(quoted, GoQuote.Quote(text));

    [Fact]
    public void Quote_to_ascii_escapes_everything_beyond_ascii() =>
        Assert.Equal("\"caf\\u00e9 \\U0001f600\"", GoQuote.Quote("caf\u00e9 \U0001F600", asciiOnly: true));

    [Fact]
    public void Quote_rune_uses_single_quotes()
    {
        Assert.Equal("'a'", GoQuote.QuoteRune('a'));
        Assert.Equal("'\\''", GoQuote.QuoteRune('\''));
        Assert.Equal("'\"'", GoQuote.QuoteRune('"'));
        Assert.Equal("'\\ufffd'", GoQuote.QuoteRune(0xD800, asciiOnly: true));
    }

    [Theory]
    [InlineData("a\tb", true)]
    [InlineData("a`b", false)]
    [InlineData("a\nb", false)]
    [InlineData("\ufeff", false)]
    public void Can_backquote_like_strconv(string text, bool expected) => Assert.Equal(expected, GoQuote.CanBackquote(text));

    [Theory]
    [InlineData(' ', true)]
    [InlineData('a', true)]
    [InlineData(0xA0, false)]
    [InlineData(0x2028, false)]
    [InlineData(0xE000, false)]
    [InlineData(0x1F600, true)]
    public void Is_print_like_unicode_is_print(int rune, bool expected) => Assert.Equal(expected, GoQuote.IsPrint(rune));
}
