using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>Docker's words for the swarm's errors, in one place.</summary>
public static class SwarmErrors
{
    /// <summary>
    /// Set while this daemon is a swarm's worker. One daemon per process, so a process-wide flag is enough, and it lets
    /// every manager-only path keep throwing <see cref="NotManager"/> without knowing about workers.
    /// </summary>
    internal static volatile bool ThisNodeIsWorker;

    public static BerthException NotManager() => ThisNodeIsWorker
        ? BerthException.Unavailable("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. " +
            "Please run this command on a manager node or promote the current node to a manager.")
        : BerthException.Unavailable(
            "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");

    public static BerthException InvalidJoinToken() => Invalid("A valid join token is necessary to join this cluster");

    public static BerthException SingleManager() => BerthException.NotImplemented("berthd swarms have a single manager: join as a worker");

    /// <summary>
    /// A join that reached no manager in time. dockerd's words begin the same, but dockerd goes on trying in the
    /// background; berthd gives up, so it says that instead of promising more.
    /// </summary>
    public static BerthException JoinTimeout(IEnumerable<string> remotes) => BerthException.Unavailable(
        $"Timeout was reached before node joined: no manager answered at {string.Join(", ", remotes)}. " +
        "The node did not join the swarm; check the address and that the manager listens there, then try again.");

    public static BerthException NotInSwarm() => BerthException.Unavailable("This node is not part of a swarm");

    public static BerthException AlreadyInSwarm() => BerthException.Unavailable(
        "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.");

    public static BerthException Invalid(string message) => BerthException.Invalid("rpc error: code = InvalidArgument desc = " + message);

    public static BerthException NameConflict(string kind, string name) => BerthException.Conflict(
        $"rpc error: code = AlreadyExists desc = name conflicts with an existing object: {kind} {name} already exists");
}
