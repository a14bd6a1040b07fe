using Berth.Client.Build;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Build;

/// <summary>
/// Turns build flags into the options of <c>POST /build</c> as docker's client does; the Dockerfile name is added once
/// the context is known.
/// </summary>
public static class BuildOptionsFactory
{
    public static ImageBuildOptions From(ParsedFlags flags, Func<string, string?> environment) => new()
    {
        Tags = flags.List("tag"),
        BuildArgs = BuildArgs(flags.List("build-arg"), environment),
        Labels = Labels(flags.List("label")),
        CacheFrom = CommaSeparated(flags.List("cache-from")),
        ExtraHosts = flags.List("add-host").Select(CreateRequestBuilder.ExtraHost).ToList(),
        SecurityOptions = CommaSeparated(flags.List("security-opt")),
        Ulimits = CreateRequestBuilder.Ulimits(flags.List("ulimit")),
        NoCache = flags.Bool("no-cache"),
        Pull = flags.Bool("pull"),
        Quiet = flags.Bool("quiet"),
        Remove = flags.Bool("rm", defaultValue: true),
        ForceRemove = flags.Bool("force-rm"),
        Target = flags.String("target"),
        NetworkMode = flags.String("network"),
        // docker's --platform defaults to $DOCKER_DEFAULT_PLATFORM.
        Platform = flags.String("platform") ?? environment("DOCKER_DEFAULT_PLATFORM"),
        Isolation = flags.String("isolation"),
        CgroupParent = flags.String("cgroup-parent"),
        CpusetCpus = flags.String("cpuset-cpus"),
        CpusetMems = flags.String("cpuset-mems"),
        CpuShares = flags.Int("cpu-shares") ?? 0,
        CpuPeriod = flags.Int("cpu-period") ?? 0,
        CpuQuota = flags.Int("cpu-quota") ?? 0,
        Memory = flags.String("memory") is { } memory ? ByteSizes.ParseRam(memory) : 0,
        MemorySwap = flags.String("memory-swap") is { } swap ? (swap == "-1" ? -1 : ByteSizes.ParseRam(swap)) : 0,
        ShmSize = flags.String("shm-size") is { } shm ? ByteSizes.ParseRam(shm) : 0,
    };

    /// <summary>
    /// K=V as given; a bare K takes its value from the environment, and when the environment has none it is sent
    /// without a value (JSON null), which lets the Dockerfile's ARG default apply.
    /// </summary>
    private static Dictionary<string, string?> BuildArgs(IEnumerable<string> values, Func<string, string?> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.IndexOf('=');
            if (eq >= 0)
                result[value[..eq]] = value[(eq + 1)..];
            else
                result[value] = environment(value);
        }
        return result;
    }

    /// <summary>K=V; a bare K is a label with an empty value.</summary>
    private static Dictionary<string, string> Labels(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.IndexOf('=');
            result[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
        }
        return result;
    }

    /// <summary>pflag's string-slice flags: every occurrence may hold several values separated by commas.</summary>
    private static List<string> CommaSeparated(IEnumerable<string> values)
        => values.SelectMany(value => value.Split(',')).Where(part => part.Length > 0).ToList();
}
