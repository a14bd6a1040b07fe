using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>docker's "self" node reference: the ID /info reports for this daemon.</summary>
public static class NodeNames
{
    public static async Task<string> ResolveAsync(CliContext context, string name, CancellationToken cancellation)
    {
        if (name != "self")
            return name;
        var info = await context.Client.InfoAsync(cancellation);
        var id = info.Obj("Swarm").Str("NodeID");
        return id.Length == 0 ? throw new CliException("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.") : id;
    }

    public static async Task<byte[]> InspectRawAsync(CliContext context, string name, CancellationToken cancellation)
        => await context.Client.InspectNodeRawAsync(await ResolveAsync(context, name, cancellation), cancellation);
}
