using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Shim;

[Collection("shim")]
public sealed class ShimExitTests(ShimFixture fixture)
{
    [Fact]
    public async Task OomKillIsDetected()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["tail", "/dev/zero"], edit: spec =>
            spec["linux"]!["resources"] = new JsonObject { ["memory"] = new JsonObject { ["limit"] = 8L * 1024 * 1024 } });
        await c.Client.StartAsync(TestContainer.Timeout());

        var exit = await c.Client.WaitAsync(TestContainer.Timeout(60));

        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
    }

    [Fact]
    public async Task OrdinaryKillIsNotAnOom()
    {
        await using var c = new TestContainer(fixture);
        await c.CreateAsync(["sleep", "100"], edit: spec =>
            spec["linux"]!["resources"] = new JsonObject { ["memory"] = new JsonObject { ["limit"] = 64L * 1024 * 1024 } });
        await c.Client.StartAsync(TestContainer.Timeout());
        await c.Client.KillAsync(9, TestContainer.Timeout());

        var exit = await c.Client.WaitAsync(TestContainer.Timeout());

        Assert.Equal(137, exit.ExitCode);
        Assert.False(exit.OomKilled);
    }
}
