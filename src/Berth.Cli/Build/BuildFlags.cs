using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Build;

/// <summary>The flags of docker's classic <c>build</c>, with its words and its parse-time checks.</summary>
public static class BuildFlags
{
    public static readonly IReadOnlyList<FlagSpec> All =
    [
        FlagSpec.List("add-host", null, "Add a custom host-to-IP mapping (\"host:ip\")", ValidateExtraHost),
        FlagSpec.List("build-arg", null, "Set build-time variables", KeyValueFiles.ValidateEnv),
        FlagSpec.List("cache-from", null, "Images to consider as cache sources"),
        FlagSpec.String("cgroup-parent", null, "Set the parent cgroup for the \"RUN\" instructions during build"),
        // Accepted so that docker's command lines work; the context is sent uncompressed either way (same result).
        FlagSpec.Bool("compress", null, "Compress the build context using gzip"),
        FlagSpec.Int("cpu-period", null, "Limit the CPU CFS (Completely Fair Scheduler) period"),
        FlagSpec.Int("cpu-quota", null, "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        FlagSpec.Int("cpu-shares", 'c', "CPU shares (relative weight)"),
        FlagSpec.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
        FlagSpec.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
        FlagSpec.Bool("disable-content-trust", null, "Skip image verification (default true)"),
        FlagSpec.String("file", 'f', "Name of the Dockerfile (Default is \"PATH/Dockerfile\")"),
        FlagSpec.Bool("force-rm", null, "Always remove intermediate containers"),
        FlagSpec.String("iidfile", null, "Write the image ID to the file"),
        FlagSpec.String("isolation", null, "Container isolation technology"),
        FlagSpec.List("label", null, "Set metadata for an image"),
        FlagSpec.String("memory", 'm', "Memory limit", validate: ByteSizes.ValidateRam),
        FlagSpec.String("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", validate: ByteSizes.ValidateSwap),
        FlagSpec.String("network", null, "Set the networking mode for the RUN instructions during build", "default"),
        FlagSpec.Bool("no-cache", null, "Do not use cache when building the image"),
        FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
        FlagSpec.Bool("pull", null, "Always attempt to pull a newer version of the image"),
        FlagSpec.Bool("quiet", 'q', "Suppress the build output and print image ID on success"),
        FlagSpec.Bool("rm", null, "Remove intermediate containers after a successful build (default true)"),
        FlagSpec.List("security-opt", null, "Security options"),
        FlagSpec.String("shm-size", null, "Size of \"/dev/shm\"", validate: ByteSizes.ValidateRam),
        FlagSpec.List("tag", 't', "Name and optionally a tag in the \"name:tag\" format"),
        FlagSpec.String("target", null, "Set the target build stage to build."),
        FlagSpec.List("ulimit", null, "Ulimit options", ValidateUlimit),
    ];

    // Checked as each value is parsed, as docker's typed flags do, with run's parsers and messages.
    private static string? ValidateExtraHost(string value) => MessageOf(() => CreateRequestBuilder.ExtraHost(value));

    private static string? ValidateUlimit(string value) => MessageOf(() => CreateRequestBuilder.Ulimits([value]));

    private static string? MessageOf(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e.Message;
        }
    }
}
