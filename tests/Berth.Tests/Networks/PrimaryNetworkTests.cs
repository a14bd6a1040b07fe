using Berth.Engine.Networks;

namespace Berth.Tests.Networks;

public sealed class PrimaryNetworkTests
{
    [Theory]
    // Testcontainers' WithNetwork: NetworkMode left empty, the network named in NetworkingConfig. dockerd joins only it.
    [InlineData("", new[] { "tc-net" }, "tc-net")]
    [InlineData("default", new[] { "tc-net", "other" }, "tc-net")]
    // Nothing named (or only "default"): the default bridge, as before.
    [InlineData("", new string[0], "bridge")]
    [InlineData("default", new[] { "default" }, "bridge")]
    [InlineData("", new[] { "bridge" }, "bridge")]
    // An explicit mode wins, whatever NetworkingConfig adds.
    [InlineData("bridge", new[] { "tc-net" }, "bridge")]
    [InlineData("mynet", new[] { "mynet" }, "mynet")]
    [InlineData("host", new string[0], "host")]
    [InlineData("container:abc", new string[0], "container:abc")]
    public void A_default_network_mode_means_the_networks_NetworkingConfig_names(string mode, string[] endpoints, string expected) =>
        Assert.Equal(expected, NetworkService.PrimaryNetwork(mode, endpoints));
}
