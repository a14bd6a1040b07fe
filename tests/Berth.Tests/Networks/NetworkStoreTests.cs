using Berth.Engine.Networks;
using Berth.Oci.Errors;

namespace Berth.Tests.Networks;

public sealed class NetworkStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-netstore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static NetworkRecord Network(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Driver = "bridge",
        Created = DateTimeOffset.UtcNow,
        Subnet = "10.1.0.0/24",
        Gateway = "10.1.0.1",
        BridgeName = "brtest",
        Labels = new() { ["a"] = "b" },
    };

    [Fact]
    public void Records_survive_a_reload_with_their_addressing()
    {
        var store = new NetworkStore(_root);
        store.Add(Network("a1b2c3" + new string('0', 58), "front"));
        var reloaded = new NetworkStore(_root);
        var network = reloaded.Get("front");
        Assert.Equal("b", network.Labels["a"]);
        Assert.Equal("10.1.0.0/24", network.Addressing().Subnet.ToString());
        Assert.Equal("10.1.0.1", network.Addressing().Gateway.ToString());
    }

    [Fact]
    public void Lookups_take_id_then_name_then_unique_prefix()
    {
        var store = new NetworkStore(_root);
        store.Add(Network("abc1" + new string('0', 60), "one"));
        store.Add(Network("abc2" + new string('0', 60), "two"));
        Assert.Equal("one", store.Get("abc1").Name);
        Assert.Equal("two", store.Get("two").Name);
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<BerthException>(() => store.Get("abc")).Kind);
        var missing = Assert.Throws<BerthException>(() => store.Get("nothing"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("network nothing not found", missing.Message);
    }

    [Fact]
    public void A_second_network_with_the_same_name_is_a_conflict()
    {
        var store = new NetworkStore(_root);
        store.Add(Network("1" + new string('0', 63), "dup"));
        var conflict = Assert.Throws<BerthException>(() => store.Add(Network("2" + new string('0', 63), "dup")));
        Assert.Equal(ErrorKind.Conflict, conflict.Kind);
        Assert.Equal("network with name dup already exists", conflict.Message);
    }

    [Fact]
    public void Removed_records_are_gone_after_a_reload()
    {
        var store = new NetworkStore(_root);
        var network = Network("3" + new string('0', 63), "gone");
        store.Add(network);
        store.Remove(network);
        Assert.Null(new NetworkStore(_root).TryGet("gone"));
    }
}
