using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>Docker's words for the swarm's errors, in one place.</summary>
public static class SwarmErrors
{
    public static BerthException NotManager() => BerthException.Unavailable(
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");

    public static BerthException NotInSwarm() => BerthException.Unavailable("This node is not part of a swarm");

    public static BerthException AlreadyInSwarm() => BerthException.Unavailable(
        "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.");

    public static BerthException Invalid(string message) => BerthException.Invalid("rpc error: code = InvalidArgument desc = " + message);

    public static BerthException NameConflict(string kind, string name) => BerthException.Conflict(
        $"rpc error: code = AlreadyExists desc = name conflicts with an existing object: {kind} {name} already exists");
}
