using Berth.Daemon.Http;
using Berth.Oci.Errors;

namespace Berth.Tests.Daemon;

public class DetachKeysTests
{
    [Theory]
    [InlineData(null, new byte[] { 16, 17 })]
    [InlineData("", new byte[] { 16, 17 })]
    [InlineData("ctrl-a,x", new byte[] { 1, (byte)'x' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-_", new byte[] { 0, 27, 31 })]
    public void ParsesDockersSyntax(string? text, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(text));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("abc")]
    public void RefusesUnknownKeys(string text) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() => DetachKeys.Parse(text)).Kind);

    [Fact]
    public void PassesEverythingButACompletedSequence()
    {
        var scanner = new DetachKeyScanner([16, 17]);
        var output = new List<byte>();

        Assert.False(scanner.Scan("ab"u8.ToArray().Concat(new byte[] { 16 }).ToArray(), output));
        Assert.Equal("ab"u8.ToArray(), output);
        Assert.False(scanner.Scan([(byte)'c', 16], output)); // a broken start is released
        Assert.Equal("ab\u0010c"u8.ToArray(), output);
        Assert.True(scanner.Scan([17, (byte)'z'], output));
        Assert.Equal("ab\u0010c"u8.ToArray(), output);
    }
}
