using System.Text;
using Berth.Shim;

namespace Berth.Tests.Shim;

public class ShimConfigTests
{
    private static ShimConfig Parse(string json) => ShimConfig.Parse(Encoding.UTF8.GetBytes(json), "shim.json");

    [Fact]
    public void ReadsEveryMember()
    {
        var config = Parse("""
            { "id": "abc", "bundle": "/b", "runtime": "/usr/sbin/runc", "runtimeRoot": "/run/berth/runc",
              "logPath": "/l/abc-json.log", "openStdin": true, "stdinOnce": true, "tty": false,
              "consoleHeight": 24, "consoleWidth": 80, "cgroupPath": "/berth/abc", "logMaxSize": 10485760, "logMaxFiles": 3 }
            """);

        Assert.Equal(("abc", "/b", "/usr/sbin/runc", "/run/berth/runc", "/l/abc-json.log"), (config.Id, config.Bundle, config.Runtime, config.RuntimeRoot, config.LogPath));
        Assert.True(config.OpenStdin);
        Assert.True(config.StdinOnce);
        Assert.False(config.Tty);
        Assert.Equal((24, 80), (config.ConsoleHeight, config.ConsoleWidth));
        Assert.Equal("/berth/abc", config.CgroupPath);
        Assert.Equal(10_485_760, config.LogMaxSize);
        Assert.Equal(3, config.LogMaxFiles);
    }

    [Fact]
    public void DecodesEscapesAndSkipsUnknownMembers()
    {
        var config = Parse("""{"id":"a\"b\\c\u00e9\ud83d\ude00\n","future":{"nested":[1,{"x":"}"}]},"flag":null,"bundle":"/b"}""");

        Assert.Equal("a\"b\\cé😀\n", config.Id);
        Assert.Equal("/b", config.Bundle);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"x\"")]
    [InlineData("{\"id\":\"x\"} extra")]
    [InlineData("{\"tty\":\"yes\"}")]
    [InlineData("{\"consoleHeight\":99999999999}")]
    [InlineData("{\"id\":\"bad \\q escape\"}")]
    public void RejectsMalformedConfiguration(string json) =>
        Assert.Throws<InvalidDataException>(() => Parse(json));
}
