using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Model.Reading;
using Berth.GoText;

namespace Berth.Tests.Compose.Model;

public sealed class ScalarParsersTests
{
    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("1b", 1)]
    [InlineData("1k", 1024)]
    [InlineData("1kb", 1024)]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("2GiB", 2L * 1024 * 1024 * 1024)]
    [InlineData("1.5g", 3L * 512 * 1024 * 1024)]
    public void Byte_sizes_use_docker_units_in_base_1024(string text, long bytes) =>
        Assert.Equal(bytes, RawNodes.Bytes(JsonValue.Create(text), "size"));

    [Theory]
    [InlineData("12q")]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-1k")]
    public void Bad_byte_sizes_are_refused(string text)
    {
        Assert.False(GoUnits.TryParseRamInBytes(text, out _));
        Assert.Throws<ComposeException>(() => RawNodes.Bytes(JsonValue.Create(text), "size"));
    }

    [Fact]
    public void Shell_words_split_on_whitespace_and_honour_quotes()
    {
        Assert.Equal(["echo", "hello world", "it's", ""], ShellWords.Split("""echo "hello world" 'it'\''s' "" """));
        Assert.Equal(["sh", "-c", "echo $HOME && ls"], ShellWords.Split("sh -c 'echo $HOME && ls'"));
        Assert.Equal(["a b", "c\"d", "e\\f"], ShellWords.Split("""a\ b "c\"d" "e\f" """));
        Assert.Empty(ShellWords.Split("   "));
    }

    [Fact]
    public void Unterminated_quotes_are_an_error() =>
        Assert.Throws<ComposeException>(() => ShellWords.Split("echo 'oops"));
}
