using Berth.Api;

namespace Berth.Engine.Swarm;

/// <summary>What a task's desired state says: a service's task is wanted "running", a job's task "complete".</summary>
internal static class TaskStates
{
    /// <summary>Whether the task is meant to run (until it is told to stop, or, for a job, until it completes).</summary>
    public static bool IsWanted(SwarmTask task) => task.DesiredState is "running" or "complete";

    /// <summary>
    /// The desired state once a task's container has ended: a job's task that completed stays "complete" (it is done,
    /// never rerun); any other task is shut down, and its slot gets a successor as the restart policy allows.
    /// </summary>
    public static string DesiredAfterEnd(SwarmTask task, SwarmTaskStatus status) =>
        task.JobIteration is not null && status.State == "complete" ? "complete" : "shutdown";
}
