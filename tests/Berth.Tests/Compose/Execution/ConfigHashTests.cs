using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

public sealed class ConfigHashTests
{
    private static ServiceConfig Web() => new()
    {
        Name = "web",
        Image = "nginx:1.27",
        Environment = new Dictionary<string, string?> { ["A"] = "1", ["B"] = "2" },
        Ports = [new ServicePort { Target = 80, Published = "8080" }],
        HealthCheck = new HealthCheckConfig { Test = ["CMD", "true"], Interval = TimeSpan.FromSeconds(5) },
    };

    [Fact]
    public void The_hash_is_64_hex_digits_and_the_same_for_equal_services()
    {
        string hash = ConfigHash.Of(Web());
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, ConfigHash.Of(Web()));
    }

    [Fact]
    public void Map_order_does_not_matter()
    {
        var reordered = Web() with { Environment = new Dictionary<string, string?> { ["B"] = "2", ["A"] = "1" } };
        Assert.Equal(ConfigHash.Of(Web()), ConfigHash.Of(reordered));
    }

    [Fact]
    public void Scale_build_and_pull_policy_do_not_change_the_hash()
    {
        var changed = Web() with
        {
            Scale = 3,
            PullPolicy = "always",
            Build = new BuildConfig { Context = "/src" },
            DependsOn = new Dictionary<string, DependsOn> { ["db"] = new() },
        };
        Assert.Equal(ConfigHash.Of(Web()), ConfigHash.Of(changed));
    }

    [Theory]
    [InlineData("image")]
    [InlineData("env")]
    [InlineData("command")]
    [InlineData("port")]
    [InlineData("health")]
    public void A_change_that_matters_changes_the_hash(string what)
    {
        var web = Web();
        var changed = what switch
        {
            "image" => web with { Image = "nginx:1.28" },
            "env" => web with { Environment = new Dictionary<string, string?> { ["A"] = "1", ["B"] = "3" } },
            "command" => web with { Command = [] },
            "port" => web with { Ports = [new ServicePort { Target = 80, Published = "8081" }] },
            _ => web with { HealthCheck = web.HealthCheck! with { Retries = 2 } },
        };
        Assert.NotEqual(ConfigHash.Of(web), ConfigHash.Of(changed));
    }

    [Fact]
    public void The_canonical_json_leaves_unset_members_out()
    {
        string json = Berth.Client.Json.Serialize(ConfigHash.CanonicalJson(new ServiceConfig { Name = "x", Image = "busybox", Scale = 2 }));
        Assert.Equal("""{"image":"busybox"}""", json);
    }
}
