using System.Text.Json.Nodes;
using Berth.Cli.Build;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli.Build;

/// <summary>
/// Build flags must give the query docker CLI 28 sends with DOCKER_BUILDKIT=0. Each expected query was captured from
/// `docker build ARGS .` against a recording fake daemon; JSON-valued parameters are compared as JSON (Go escapes
/// &lt;, &amp; and &gt; where Berth does not).
/// </summary>
public sealed class BuildQueryTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["FROMENV"] = "envval", ["EMPTY"] = "" };

    [Theory]
    [InlineData("", "dockerfile=Dockerfile&version=1")]
    [InlineData("-q -t a/b:1 --tag c --build-arg X=1 --build-arg FROMENV --build-arg MISSING --build-arg Y=<&> --label l1=v --label l2 " +
                "--label l3=a=b --no-cache --pull --rm=false --force-rm --target t2 --network host --add-host h1:1.2.3.4 --add-host h2=::1 " +
                "--shm-size 64m -m 1g --memory-swap -1 --cpu-shares 512 --cpuset-cpus 0-1 --cpu-period 100000 --cpu-quota 50000 " +
                "--platform Linux/AMD64 --cache-from x --cache-from y,z --cgroup-parent cg --cpuset-mems 0 --security-opt seccomp=unconfined " +
                "--ulimit nofile=1024:2048 --isolation default --iidfile /tmp/iid",
        "buildargs=%7B%22FROMENV%22%3A%22envval%22%2C%22MISSING%22%3Anull%2C%22X%22%3A%221%22%2C%22Y%22%3A%22%5Cu003c%5Cu0026%5Cu003e%22%7D" +
        "&cachefrom=%5B%22x%22%2C%22y%22%2C%22z%22%5D&cgroupparent=cg&cpuperiod=100000&cpuquota=50000&cpusetcpus=0-1&cpusetmems=0" +
        "&cpushares=512&dockerfile=Dockerfile&extrahosts=h1%3A1.2.3.4&extrahosts=h2%3A%3A%3A1&forcerm=1" +
        "&labels=%7B%22l1%22%3A%22v%22%2C%22l2%22%3A%22%22%2C%22l3%22%3A%22a%3Db%22%7D&memory=1073741824&memswap=-1&networkmode=host" +
        "&nocache=1&platform=linux%2Famd64&pull=1&q=1&rm=0&securityopt=seccomp%3Dunconfined&shmsize=67108864&t=a%2Fb%3A1&t=c&target=t2" +
        "&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Hard%22%3A2048%2C%22Soft%22%3A1024%7D%5D&version=1")]
    [InlineData("-c 2 --memory-swap 2g --network bridge --platform linux/arm64/v8 --security-opt a=b,c=d -t x --ulimit nproc=10 " +
                "--ulimit nofile=5:6 --label b=2 --label a=1 --label b=3",
        "cpushares=2&dockerfile=Dockerfile&labels=%7B%22a%22%3A%221%22%2C%22b%22%3A%223%22%7D&memswap=2147483648&networkmode=bridge" +
        "&platform=linux%2Farm64%2Fv8&securityopt=a%3Db&securityopt=c%3Dd&t=x" +
        "&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Hard%22%3A6%2C%22Soft%22%3A5%7D%2C%7B%22Name%22%3A%22nproc%22%2C%22Hard%22%3A10%2C%22Soft%22%3A10%7D%5D" +
        "&version=1")]
    [InlineData("--rm=true --no-cache=false --build-arg EMPTY --build-arg A=1 --build-arg A=2 --target= --shm-size 1.5k --network default",
        "buildargs=%7B%22A%22%3A%222%22%2C%22EMPTY%22%3A%22%22%7D&dockerfile=Dockerfile&shmsize=1536&version=1")]
    public void FlagsGiveDockersQuery(string commandLine, string dockersQuery)
    {
        var flags = new FlagSet(BuildFlags.All).Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var options = BuildOptionsFactory.From(flags, name => Environment.GetValueOrDefault(name)) with { Dockerfile = "Dockerfile" };

        var expected = Decode(dockersQuery);
        var actual = Decode(options.ToQuery().ToString());
        Assert.Equal(expected.Select(p => p.Key), actual.Select(p => p.Key));
        foreach (var ((key, want), (_, got)) in expected.Zip(actual))
        {
            if (want.StartsWith('{') || want.StartsWith('['))
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(want), JsonNode.Parse(got)), $"{key}: expected {want}, got {got}");
            else
                Assert.Equal(want, got);
        }
    }

    [Fact]
    public void DockerDefaultPlatformIsTheDefaultOfPlatform()
    {
        var flags = new FlagSet(BuildFlags.All).Parse([]);
        var options = BuildOptionsFactory.From(flags, name => name == "DOCKER_DEFAULT_PLATFORM" ? "linux/arm64" : null);
        Assert.Equal("platform=linux%2Farm64&version=1", options.ToQuery().ToString());
    }

    [Theory]
    [InlineData("--add-host bad", "invalid argument \"bad\" for \"--add-host\" flag: bad format for add-host: \"bad\"")]
    [InlineData("--ulimit bad", "invalid argument \"bad\" for \"--ulimit\" flag: invalid ulimit argument: bad")]
    [InlineData("--build-arg =x", "invalid argument \"=x\" for \"--build-arg\" flag: invalid environment variable: =x")]
    public void BadValuesAreRefusedWhileParsingWithDockersWords(string commandLine, string message)
    {
        var error = Assert.Throws<UsageException>(() => new FlagSet(BuildFlags.All).Parse(commandLine.Split(' ')));
        Assert.Equal(message, error.Message);
    }

    private static List<KeyValuePair<string, string>> Decode(string query) => query.Split('&')
        .Select(pair => pair.Split('=', 2))
        .Select(parts => KeyValuePair.Create(parts[0], Uri.UnescapeDataString(parts[1].Replace('+', ' '))))
        .ToList();
}
