using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Tests.Engine;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("kill", 9)]
    [InlineData("9", 9)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("RTMAX-1", 63)]
    public void Parses_names_and_numbers(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("NOPE")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("SIGRTMIN+40")]
    public void Refuses_unknown_signals(string text)
    {
        var error = Assert.Throws<BerthException>(() => Signals.Parse(text));
        Assert.Equal($"Invalid signal: {text}", error.Message);
    }
}
