using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>docker update: new resource limits and restart policy for one or more containers, sent only for the flags given.</summary>
public static class UpdateCommand
{
    public static readonly CommandSpec Spec = new("update", "[OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers",
    [
        FlagSpec.Int("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "0"),
        FlagSpec.Int("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period"),
        FlagSpec.Int("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota"),
        FlagSpec.Int("cpu-rt-period", null, "Limit the CPU real-time period in microseconds"),
        FlagSpec.Int("cpu-rt-runtime", null, "Limit the CPU real-time runtime in microseconds"),
        FlagSpec.Int("cpu-shares", 'c', "CPU shares (relative weight)"),
        FlagSpec.String("cpus", null, "Number of CPUs", validate: ByteSizes.ValidateNanoCpus),
        FlagSpec.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
        FlagSpec.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
        FlagSpec.String("memory", 'm', "Memory limit", validate: ByteSizes.ValidateRam),
        FlagSpec.String("memory-reservation", null, "Memory soft limit", validate: ByteSizes.ValidateRam),
        FlagSpec.String("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", validate: ByteSizes.ValidateSwap),
        FlagSpec.Int("pids-limit", null, "Tune container pids limit (set -1 for unlimited)"),
        FlagSpec.String("restart", null, "Restart policy to apply when a container exits"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static readonly string[] AllFlags =
    [
        "blkio-weight", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus", "cpuset-cpus",
        "cpuset-mems", "memory", "memory-reservation", "memory-swap", "pids-limit", "restart",
    ];

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        if (!AllFlags.Any(flags.Has))
        {
            context.Err.Write("You must provide one or more flags when using this command.\n");
            return 1;
        }
        JsonObject body;
        try
        {
            body = Body(flags);
        }
        catch (InvalidOptionException e)
        {
            context.Err.Write(e.Message + "\n");
            return 1;
        }
        return await Batch.RunAsync(context, flags.Positionals, async name =>
        {
            var warnings = await context.Client.UpdateContainerAsync(name, (JsonObject)body.DeepClone(), context.Cancellation);
            foreach (var warning in warnings) context.Err.Write(warning + "\n");
        });
    }

    /// <summary>The request body as docker's CLI builds it: every Resources field (0 = unchanged), PidsLimit only when given.</summary>
    public static JsonObject Body(ParsedFlags flags)
    {
        long Ram(string name) => flags.String(name) is { } text ? (text == "-1" ? -1 : ByteSizes.ParseRam(text)) : 0;
        long nanoCpus = 0;
        if (flags.String("cpus") is { } cpus) ByteSizes.TryParseNanoCpus(cpus, out nanoCpus, out _);
        var body = new JsonObject
        {
            ["BlkioWeight"] = flags.Int("blkio-weight") ?? 0,
            ["CpuPeriod"] = flags.Int("cpu-period") ?? 0,
            ["CpuQuota"] = flags.Int("cpu-quota") ?? 0,
            ["CpuRealtimePeriod"] = flags.Int("cpu-rt-period") ?? 0,
            ["CpuRealtimeRuntime"] = flags.Int("cpu-rt-runtime") ?? 0,
            ["CpuShares"] = flags.Int("cpu-shares") ?? 0,
            ["NanoCpus"] = nanoCpus,
            ["CpusetCpus"] = flags.String("cpuset-cpus") ?? "",
            ["CpusetMems"] = flags.String("cpuset-mems") ?? "",
            ["Memory"] = Ram("memory"),
            ["MemoryReservation"] = Ram("memory-reservation"),
            ["MemorySwap"] = Ram("memory-swap"),
            ["RestartPolicy"] = flags.String("restart") is { } restart
                ? CreateRequestBuilder.RestartPolicy(restart)
                : new JsonObject { ["Name"] = "", ["MaximumRetryCount"] = 0 },
        };
        if (flags.Int("pids-limit") is { } pids) body["PidsLimit"] = pids;
        return body;
    }
}
