using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// Job modes (ReplicatedJob, GlobalJob): services whose tasks run to completion once per iteration of the job, instead
/// of being kept running.
/// </summary>
public static partial class ServiceSpecs
{
    /// <summary>
    /// dockerd's defaults and checks for a job's mode: MaxConcurrent defaults to 1 and TotalCompletions to MaxConcurrent;
    /// both are unsigned (Go refuses negative numbers while decoding); jobs have no rolling updates, so no UpdateConfig.
    /// </summary>
    private static void NormalizeJob(JsonObject spec, JsonObject mode)
    {
        if (mode["ReplicatedJob"] is JsonObject job)
        {
            foreach (string field in new[] { "MaxConcurrent", "TotalCompletions" })
            {
                if (job[field] is { } value && value.GetValue<long>() < 0)
                    throw BerthException.Invalid(
                        $"json: cannot unmarshal number {value.GetValue<long>().ToString(CultureInfo.InvariantCulture)} into Go struct field ReplicatedJob.Mode.ReplicatedJob.{field} of type uint64");
            }
            job["MaxConcurrent"] ??= 1;
            job["TotalCompletions"] ??= job["MaxConcurrent"]!.DeepClone();
        }
        if (spec["UpdateConfig"] is JsonObject) throw SwarmErrors.Invalid("Jobs may not have an update config");
    }

    public static bool IsJob(JsonObject spec) => spec["Mode"]?["ReplicatedJob"] is not null || spec["Mode"]?["GlobalJob"] is not null;

    public static bool IsGlobalJob(JsonObject spec) => spec["Mode"]?["GlobalJob"] is not null;

    /// <summary>A replicated job's MaxConcurrent and TotalCompletions (filled in by <see cref="Normalize"/>).</summary>
    public static (int MaxConcurrent, int TotalCompletions) JobCounts(JsonObject spec)
    {
        var job = spec["Mode"]?["ReplicatedJob"];
        return ((int)Math.Min(int.MaxValue, job?["MaxConcurrent"]?.GetValue<long>() ?? 1),
            (int)Math.Min(int.MaxValue, job?["TotalCompletions"]?.GetValue<long>() ?? 1));
    }

    /// <summary>The mode as the services list's mode filter names it: replicated, global, replicated-job or global-job.</summary>
    public static string ModeName(JsonObject spec) => spec["Mode"] switch
    {
        JsonObject m when m["Global"] is not null => "global",
        JsonObject m when m["ReplicatedJob"] is not null => "replicated-job",
        JsonObject m when m["GlobalJob"] is not null => "global-job",
        _ => "replicated",
    };
}
